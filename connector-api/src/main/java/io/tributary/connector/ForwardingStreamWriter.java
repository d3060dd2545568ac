package io.tributary.connector;

import io.tributary.protocol.RecordBatch;
import io.tributary.protocol.RowFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A writer that hands every call to another. Extend it to change a few of them (a fence before
 * commits, a client closed with the writer) without restating the rest, which keep the other
 * writer's contract.
 */
public abstract class ForwardingStreamWriter implements StreamWriter {

  private final StreamWriter writer;

  protected ForwardingStreamWriter(StreamWriter writer) {
    this.writer = writer;
  }

  @Override
  public JsonNode committedState() {
    return writer.committedState();
  }

  @Override
  public RowFormat rowFormat() {
    return writer.rowFormat();
  }

  @Override
  public void write(RecordBatch batch) {
    writer.write(batch);
  }

  @Override
  public void commit(JsonNode state) {
    writer.commit(state);
  }

  @Override
  public void complete() {
    writer.complete();
  }

  @Override
  public boolean commitsWhenAsked() {
    return writer.commitsWhenAsked();
  }

  @Override
  public List<JsonNode> acknowledged() {
    return writer.acknowledged();
  }

  @Override
  public void abort() {
    writer.abort();
  }

  @Override
  public void close() {
    writer.close();
  }
}
