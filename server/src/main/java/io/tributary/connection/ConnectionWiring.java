package io.tributary.connection;

import io.tributary.auth.TagMode;
import io.tributary.connectiontemplate.ConnectionTemplate;
import io.tributary.connectiontemplate.ConnectionTemplateRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Wires a new source to the organization's destinations: for every applicable connection template,
 * the workspace's destination of that template (created once) and a connection to it. A template
 * with {@code sync_on_create} marks its connection's first sync as due now.
 */
@Component
public class ConnectionWiring {

  private final ConnectionRepository connections;
  private final ConnectionTemplateRepository templates;

  ConnectionWiring(ConnectionRepository connections, ConnectionTemplateRepository templates) {
    this.connections = connections;
    this.templates = templates;
  }

  /**
   * Creates the connections of every applicable template the source has none of yet; returns their
   * ids. Called inside the transaction that stores the source, and again by reconciliation after
   * templates were added.
   */
  public List<UUID> wire(
      UUID organizationId,
      UUID workspaceId,
      UUID sourceId,
      List<String> tags,
      TagMode mode,
      Instant now) {
    List<UUID> created = new ArrayList<>();
    List<UUID> existing = connections.templatesOfSource(sourceId);
    for (ConnectionTemplate template :
        templates.findAllLive(organizationId, tags, mode == null ? TagMode.ANY : mode)) {
      if (existing.contains(template.id())
          || !templates.store().hold(organizationId, template.id())) {
        continue;
      }
      DestinationRecord destination =
          connections.destinationFor(
              organizationId,
              workspaceId,
              template.id(),
              template.destinationDefinitionId(),
              template.destinationName(),
              now);
      UUID id = UUID.randomUUID();
      var connection =
          new ConnectionRecord(
              id,
              organizationId,
              workspaceId,
              sourceId,
              destination.id(),
              template.id(),
              "active",
              null,
              null,
              template.syncOnCreate() ? now : null,
              now,
              now,
              null,
              null);
      connections.insertConnection(connection);
      connections.created(connection);
      created.add(id);
    }
    return created;
  }
}
