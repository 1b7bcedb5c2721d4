/**
 * Apps, channels, presence members and user registrations: the state shared by all reactors.
 *
 * <p>Each channel's membership is mutated under that channel's monitor by the reactor that owns the
 * subscribing connection (subscribe and unsubscribe are rare next to publishes). Publishing never takes a
 * lock: it reads the channel's volatile reactor mask and hands one encoded frame to each reactor that has
 * subscribers.
 */
package io.sockudo.jvm.server.channel;
