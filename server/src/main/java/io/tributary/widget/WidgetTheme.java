package io.tributary.widget;

/**
 * How an organization's widget looks: the name its end users see, the colour of its main actions
 * and its logo. Unset parts fall back to Tributary's own look.
 *
 * @param primaryColor {@code #rrggbb}, lower case
 * @param logoUrl an https URL, or a data:image URL for a logo small enough to inline
 */
public record WidgetTheme(String name, String primaryColor, String logoUrl) {

  static final WidgetTheme DEFAULT = new WidgetTheme(null, "#3b5bdb", null);
}
