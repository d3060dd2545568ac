package io.tributary.widget;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tributary.auth.Caller;
import io.tributary.auth.OperatorCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's look for the widget: set by the operator, read by the widget with the end user's
 * token.
 */
@RestController
@Tag(name = "Widget")
class WidgetThemeController {

  private final WidgetThemeRepository themes;
  private final Clock clock;

  WidgetThemeController(WidgetThemeRepository themes, Clock clock) {
    this.themes = themes;
    this.clock = clock;
  }

  @GetMapping("/api/v1/embedded/widget-theme")
  @Operation(summary = "The widget's name, primary colour and logo for the caller's organization")
  WidgetTheme get(Caller caller) {
    return themes
        .find(caller.organizationId())
        .map(WidgetThemeController::withDefaults)
        .orElse(WidgetTheme.DEFAULT);
  }

  @PutMapping("/api/v1/embedded/widget-theme")
  @Operation(
      summary =
          "Set the widget's name, primary colour (#rrggbb) and logo (https or data:image URL, 64 KB at most); omitted parts use the default look")
  WidgetTheme put(OperatorCaller caller, @Valid @RequestBody ThemeRequest request) {
    WidgetTheme theme =
        new WidgetTheme(
            blankToNull(request.name()),
            request.primaryColor() == null ? null : request.primaryColor().toLowerCase(Locale.ROOT),
            request.logoUrl());
    themes.save(caller.organizationId(), theme, clock.instant());
    return withDefaults(theme);
  }

  record ThemeRequest(
      @Size(max = 80) String name,
      @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "must be a colour like #1a73e8")
          String primaryColor,
      @Size(max = 65536)
          @Pattern(
              regexp = "(https://|data:image/(png|jpeg|gif|webp|svg\\+xml)(;base64)?,)[^\\s\"'<>]+",
              message = "must be an https URL or a data:image URL")
          String logoUrl) {}

  private static WidgetTheme withDefaults(WidgetTheme theme) {
    return new WidgetTheme(
        theme.name(),
        theme.primaryColor() == null ? WidgetTheme.DEFAULT.primaryColor() : theme.primaryColor(),
        theme.logoUrl());
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
