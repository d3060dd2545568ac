package io.tributary.template;

import io.tributary.tag.TagRepository;
import java.time.Clock;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the core of every template kind shares: the organization's tags, transactions and the clock.
 */
@Component
public class TemplateCore {

  final TagRepository tags;
  final TransactionTemplate transaction;
  final Clock clock;

  TemplateCore(TagRepository tags, TransactionTemplate transaction, Clock clock) {
    this.tags = tags;
    this.transaction = transaction;
    this.clock = clock;
  }

  /**
   * The core of one kind.
   *
   * @param view the kind's API view of a template carrying these tag names
   */
  public <T extends Template, V> TaggedTemplates<T, V> tagged(
      TemplateStore<T> store, BiFunction<T, List<String>, V> view) {
    return new TaggedTemplates<>(this, store, view);
  }
}
