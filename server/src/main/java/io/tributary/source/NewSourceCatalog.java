package io.tributary.source;

import io.tributary.protocol.AirbyteCatalog;
import io.tributary.protocol.AirbyteStream;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Keeps a new source's discovered catalog and the streams its template selects, in the transaction
 * that creates the source. The catalog feature implements it: how a selected stream is configured
 * is its rule, while which streams a template selects is this package's.
 */
public interface NewSourceCatalog {

  void save(UUID sourceId, AirbyteCatalog catalog, List<SelectedStream> selected, Instant now);

  /**
   * A stream the template selects, with the template's overrides; an override that does not fit the
   * stream is dropped rather than refused, so a template made for another version of the catalog
   * still works.
   *
   * @param primaryKey null: the stream's own
   * @param cursorField null: the stream's own
   */
  record SelectedStream(
      AirbyteStream stream, List<List<String>> primaryKey, List<String> cursorField) {}
}
