package io.tributary.template;

/** A template kind's service, as the shared endpoints reach it. */
public interface TemplateService<T extends Template, V extends TemplateView> {

  /** Listing, reading, deleting and tagging this kind: what every template kind does alike. */
  TaggedTemplates<T, V> tagged();
}
