package io.tributary.sourcetemplate;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.definition.ConnectorDefinition;
import io.tributary.definition.ConnectorRegistry;
import io.tributary.definition.ConnectorType;
import io.tributary.testing.ApiTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Tributary's plain wording of the built-in connectors' forms ({@code end-user-forms/*.json}) stays
 * attached to their specs: a path that leads nowhere would silently leave a field in connector
 * jargon.
 */
class EndUserFormsTest extends ApiTest {

  @Autowired EndUserForms forms;
  @Autowired ConnectorRegistry registry;

  @Test
  void everyWordedFieldExistsInItsBuiltInConnectorsSpec() {
    List<ConnectorDefinition> worded =
        registry.all(ConnectorType.SOURCE).stream()
            .filter(d -> !d.custom())
            .filter(
                d ->
                    forms
                        .wordedConnectors()
                        .contains(
                            d.dockerRepository().substring(d.dockerRepository().indexOf('/') + 1)))
            .toList();
    assertThat(worded).hasSameSizeAs(forms.wordedConnectors());
    for (ConnectorDefinition definition : worded) {
      assertThat(forms.strayWording(definition)).as(definition.name()).isEmpty();
    }
  }
}
