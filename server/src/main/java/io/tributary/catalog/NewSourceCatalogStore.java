package io.tributary.catalog;

import io.tributary.common.RefusedException;
import io.tributary.protocol.AirbyteCatalog;
import io.tributary.source.NewSourceCatalog;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Stores a new source's catalog and configures its selected streams by {@link
 * StreamRules#defaults}.
 */
@Component
class NewSourceCatalogStore implements NewSourceCatalog {

  private final CatalogRepository catalogs;

  NewSourceCatalogStore(CatalogRepository catalogs) {
    this.catalogs = catalogs;
  }

  @Override
  public void save(
      UUID sourceId, AirbyteCatalog catalog, List<SelectedStream> selected, Instant now) {
    catalogs.saveCatalog(sourceId, catalog, now);
    for (SelectedStream stream : selected) {
      catalogs.saveStream(sourceId, configure(stream), now);
    }
  }

  private static StreamConfig configure(SelectedStream selected) {
    try {
      return StreamRules.defaults(selected.stream(), selected.primaryKey(), selected.cursorField());
    } catch (RefusedException unusableOverride) {
      return StreamRules.defaults(selected.stream(), null, null);
    }
  }
}
