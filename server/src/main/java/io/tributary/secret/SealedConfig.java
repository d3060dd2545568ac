package io.tributary.secret;

import tools.jackson.databind.node.ObjectNode;

/**
 * A connector configuration as stored: {@code masked} is the configuration with every secret
 * replaced by {@link ConfigSecrets#MASK} (safe to store as plain JSON and to show), {@code secrets}
 * the encrypted secret values, or null when there are none.
 */
public record SealedConfig(ObjectNode masked, byte[] secrets) {}
