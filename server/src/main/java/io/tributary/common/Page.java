package io.tributary.common;

import java.util.List;

/** A page of a list: {@code {"data": [...], "next": "<absolute URL of the next page>" | null}}. */
public record Page<T>(List<T> data, String next) {}
