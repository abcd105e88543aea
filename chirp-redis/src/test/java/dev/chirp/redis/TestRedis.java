package dev.chirp.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import redis.clients.jedis.Jedis;

/**
 * The Redis the tests share: a {@code redis:7} container where Docker runs, else the one at
 * 127.0.0.1:6379. Without either the tests skip, or fail when the environment sets
 * {@code CHIRP_REQUIRE_CASES=1} (as CI does). Each test works under a key prefix of its own, so
 * tests and runs never see each other's feeds, and removes its keys afterwards.
 */
final class TestRedis {

    private static final URI LOCAL = URI.create("redis://127.0.0.1:6379");
    private static URI address;

    private TestRedis() {
    }

    /** Returns the shared Redis's address, starting a container the first time if Docker runs. */
    static synchronized URI address() {
        if (address == null) {
            address = dockerAvailable() ? container() : LOCAL;
        }
        try (Jedis jedis = new Jedis(address, 2000, 2000)) {
            jedis.ping();
        } catch (RuntimeException e) {
            String problem = "no Redis for the tests at " + address + " (" + e.getMessage() + ")";
            if ("1".equals(System.getenv("CHIRP_REQUIRE_CASES"))) {
                fail("CHIRP_REQUIRE_CASES=1 but there is " + problem);
            }
            Assumptions.abort(problem + " (set CHIRP_REQUIRE_CASES=1 to make this a failure)");
        }
        return address;
    }

    /** Returns a key prefix no other test or run uses. */
    static String uniquePrefix() {
        return "chirp-test:" + UUID.randomUUID();
    }

    /** Removes the keys under a prefix. */
    static void removeKeys(URI redis, String prefix) {
        try (Jedis jedis = new Jedis(redis, 2000, 2000)) {
            for (String key : jedis.keys(prefix + ":*")) {
                jedis.del(key);
            }
        } catch (RuntimeException e) {
            // The Redis of this test is gone already; nothing to clean.
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM ends
    private static URI container() {
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse("redis:7")).withExposedPorts(6379);
        redis.start();
        return URI.create("redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
    }
}
