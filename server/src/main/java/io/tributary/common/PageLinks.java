package io.tributary.common;

import java.util.List;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The URL of the list being read, so a page can link the next one: its absolute address and its
 * query parameters. Made from the request by {@link PageLinksArgumentResolver}; a plain value here
 * so paging itself needs no servlet types.
 */
public record PageLinks(String url, Map<String, List<String>> query) {

  /** This list's URL with the same filters, the given limit and the cursor of the next page. */
  String next(int limit, String cursor) {
    UriComponentsBuilder next = UriComponentsBuilder.fromUriString(url);
    query.forEach(
        (name, values) -> {
          if (!name.equals("cursor") && !name.equals("limit")) {
            for (String value : values) {
              next.queryParam(name, value);
            }
          }
        });
    next.queryParam("limit", limit).queryParam("cursor", cursor);
    return next.encode().build().toUriString();
  }
}
