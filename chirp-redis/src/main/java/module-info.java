/**
 * Chirp on Redis: {@link dev.chirp.redis.RedisStore} keeps the feed in a Redis stream, so that
 * several {@code chirp serve} nodes behind a load balancer serve one feed, in one order, and a
 * client can resume on any node.
 *
 * <p>Durability is Redis' own: a chirp is acknowledged once Redis has taken it, and survives a
 * Redis restart only as far as Redis' persistence (an append-only file with
 * {@code appendfsync always} or {@code everysec}) keeps it.
 *
 * <p>Reads no system properties or environment variables; the Redis address and key prefix are
 * set on the builder. Logs through {@link java.lang.System.Logger}.
 */
module dev.chirp.redis {
    exports dev.chirp.redis;

    // Store, Chirp and the broadcaster appear in this module's signatures.
    requires transitive dev.chirp.core;
    // Jedis is an automatic module (Automatic-Module-Name redis.clients.jedis).
    requires redis.clients.jedis;
}
