/**
 * How a built-in connector declares its configuration (its spec) and reads a validated one; used by
 * every connector.
 */
package io.tributary.connectors.config;
