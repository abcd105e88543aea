/**
 * The broadcaster: {@link dev.chirp.core.pubsub.PubSub} pushes each new chirp to every
 * live connection. It holds no chirps; the store does.
 *
 * <p>Subscribers are called on the publishing thread and must return at once: a subscriber
 * queues the delivery for its connection and never blocks, so one slow reader cannot hold up
 * the others or the poster.
 */
package dev.chirp.core.pubsub;
