/**
 * What the file-writing connectors share, independent of any one of them: record formats (JSON
 * lines, CSV, Parquet, gzip), part files published by a manifest in a local directory or an
 * object-store prefix, and the organization's local root. The connectors ({@code duckdb}, {@code
 * s3}, {@code localfiles}, {@code filesource}) use this package; it never uses them.
 */
package io.tributary.connectors.files;
