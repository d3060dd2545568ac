package io.tributary.connectors.files;

import io.tributary.connector.WriteTarget;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** Parts as files in a local directory; temporary parts are hidden files renamed into place. */
public record LocalDirectory(Path directory) implements PartStore {

  public LocalDirectory {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * {@code <destination_path>/<namespace>/<stream>} in the organization's local directory, each
   * name one safe segment.
   */
  public static LocalDirectory forStream(
      LocalRoot root, String destinationPath, WriteTarget target) {
    return new LocalDirectory(
        target.namespace() == null
            ? root.directory(destinationPath, target.name())
            : root.directory(destinationPath, target.namespace(), target.name()));
  }

  @Override
  public String location() {
    return directory.toString();
  }

  @Override
  public OutputStream newTemporary(String name) throws IOException {
    return new BufferedOutputStream(Files.newOutputStream(directory.resolve(name)), 1 << 16);
  }

  @Override
  public void promote(String temporary, String part) throws IOException {
    move(directory.resolve(temporary), directory.resolve(part));
  }

  @Override
  public void discard(String temporary) throws IOException {
    Files.deleteIfExists(directory.resolve(temporary));
  }

  @Override
  public void adopt(PartStore from, String part) throws IOException {
    move(((LocalDirectory) from).directory.resolve(part), directory.resolve(part));
  }

  @Override
  public List<String> list() throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
    }
  }

  @Override
  public byte[] read(String name) throws IOException {
    Path file = directory.resolve(name);
    return Files.exists(file) ? Files.readAllBytes(file) : null;
  }

  @Override
  public void writeAtomically(String name, byte[] content) throws IOException {
    Path temporary = directory.resolve(".write-" + UUID.randomUUID());
    Files.write(temporary, content);
    move(temporary, directory.resolve(name));
  }

  @Override
  public void delete(String name) throws IOException {
    Files.deleteIfExists(directory.resolve(name));
  }

  @Override
  public PartStore child(String name) {
    return new LocalDirectory(directory.resolve(name));
  }

  @Override
  public void deleteChild(String name) throws IOException {
    Files.deleteIfExists(directory.resolve(name));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
