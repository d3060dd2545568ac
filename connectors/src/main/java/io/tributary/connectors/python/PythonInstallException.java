package io.tributary.connectors.python;

import java.util.List;

/**
 * A Python package could not be installed; the message says why in one line (pip's own verdict when
 * it gave one), {@link #output()} has the last lines it printed.
 */
public final class PythonInstallException extends RuntimeException {

  private final List<String> output;

  public PythonInstallException(String message, List<String> output) {
    super(message);
    this.output = List.copyOf(output);
  }

  public List<String> output() {
    return output;
  }
}
