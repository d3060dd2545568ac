package io.tributary.connectors.files;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * A place part files are published in: a local directory or an object-store prefix. Writing a part
 * happens aside ({@link #newTemporary}) and becomes a part by {@link #promote}; what is committed
 * is whatever the manifest, written with {@link #writeAtomically}, lists.
 */
public interface PartStore {

  /** Where this is, for messages: a path or an {@code s3://} URL. */
  String location();

  /**
   * A stream for a part being written; nothing is visible at {@code name} until {@link #promote}.
   */
  OutputStream newTemporary(String name) throws IOException;

  /** Makes the temporary part a part named {@code part} in this store. */
  void promote(String temporary, String part) throws IOException;

  /** Discards a temporary part. */
  void discard(String temporary) throws IOException;

  /** Moves a part from another store of the same kind into this one. */
  void adopt(PartStore from, String part) throws IOException;

  /** Names of the parts and files directly in this store. */
  List<String> list() throws IOException;

  /** The content of {@code name}, or null when absent. */
  byte[] read(String name) throws IOException;

  /** Replaces {@code name} so readers see the old content or the new, never a mix. */
  void writeAtomically(String name, byte[] content) throws IOException;

  void delete(String name) throws IOException;

  /** A store nested in this one (a sub-directory, a longer prefix). */
  PartStore child(String name) throws IOException;

  /** Removes a nested store that holds nothing any more. */
  void deleteChild(String name) throws IOException;
}
