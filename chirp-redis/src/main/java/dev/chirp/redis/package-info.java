/**
 * The feed in a Redis stream: {@link dev.chirp.redis.RedisStore}, a
 * {@link dev.chirp.core.store.Store} that several nodes share. Null arguments are rejected with
 * {@link java.lang.NullPointerException}.
 */
package dev.chirp.redis;
