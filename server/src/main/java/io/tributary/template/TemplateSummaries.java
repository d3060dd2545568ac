package io.tributary.template;

import io.swagger.v3.oas.models.Operation;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Names the kind in the summaries of the endpoints {@link TemplateEndpoints} shares, so the API
 * document says "Get a source template" and "Get a connection template".
 */
@Component
class TemplateSummaries implements OperationCustomizer {

  private final ObjectProvider<TemplateEndpoints<?, ?, ?>> endpoints;

  TemplateSummaries(ObjectProvider<TemplateEndpoints<?, ?, ?>> endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public Operation customize(Operation operation, HandlerMethod handlerMethod) {
    if (operation.getSummary() != null && operation.getSummary().contains("{template}")) {
      endpoints.stream()
          .filter(handlerMethod.getBeanType()::isInstance)
          .findFirst()
          .ifPresent(
              kind ->
                  operation.setSummary(operation.getSummary().replace("{template}", kind.noun())));
    }
    return operation;
  }
}
