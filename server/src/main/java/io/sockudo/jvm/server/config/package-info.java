/**
 * Server configuration: Sockudo 4.4.0's {@code config.toml} format plus environment overrides, validated fail-fast.
 * <p>
 * {@link io.sockudo.jvm.server.config.ConfigLoader} reads the TOML file (or the built-in defaults), applies the
 * environment and calls {@link io.sockudo.jvm.server.config.ServerContext#conclude()}, which validates every value
 * and fills in the documented defaults. Any problem is a {@link io.sockudo.jvm.server.config.ConfigException} whose
 * message names the offending key or environment variable. None of this code runs on a hot path.
 */
package io.sockudo.jvm.server.config;
