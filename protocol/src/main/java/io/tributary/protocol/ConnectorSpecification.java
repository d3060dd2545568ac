package io.tributary.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * What configuration a connector takes (a JSON schema) and what it supports.
 *
 * @param advancedAuth how an end user authorizes the connector at a provider (Airbyte's {@code
 *     advanced_auth}, e.g. a declarative OAuth 2.0 flow), or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectorSpecification(
    @JsonProperty("documentationUrl") String documentationUrl,
    @JsonProperty("connectionSpecification") ObjectNode connectionSpecification,
    @JsonProperty("supportsIncremental") Boolean supportsIncremental,
    @JsonProperty("supported_destination_sync_modes")
        List<DestinationSyncMode> supportedDestinationSyncModes,
    @JsonProperty("advanced_auth") ObjectNode advancedAuth) {}
