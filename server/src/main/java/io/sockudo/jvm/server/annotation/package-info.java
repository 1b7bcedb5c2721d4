/**
 * Message annotations (Sockudo 4.4.0, spec {@code annotations.md}): the five summarizers over off-heap state, the
 * projection engine keyed by (app, channel, message serial, type) and rebuilt from the event log, and the request
 * logic of the three HTTP routes. Memory stays bounded: resident projections are capped (LRU), and
 * {@link io.sockudo.jvm.server.annotation.Annotations#purgeBefore} forgets the events retention deleted from the log
 * and reclaims what only they used. No networking: {@link io.sockudo.jvm.server.annotation.Annotations} returns reply
 * bodies and {@link io.sockudo.jvm.server.annotation.Broadcast} frames that the caller sends.
 */
package io.sockudo.jvm.server.annotation;
