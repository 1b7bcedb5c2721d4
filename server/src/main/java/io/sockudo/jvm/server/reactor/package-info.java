/**
 * Per-core reactors on {@code java.nio}: each owns its selector, its connections and their buffers, and
 * talks to other reactors only through their inbox ring buffers.
 */
package io.sockudo.jvm.server.reactor;
