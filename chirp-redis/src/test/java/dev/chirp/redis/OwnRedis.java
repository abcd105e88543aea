package dev.chirp.redis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;

/**
 * A {@code redis-server} of the test's own, on a free port, persisting every write to an
 * append-only file in a folder of the test's, so that it can be killed and started again on
 * the same folder and port without touching the shared Redis.
 */
final class OwnRedis implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(20);

    private final Path folder;
    private final int port;
    private Process process;

    private OwnRedis(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    /**
     * Starts one in this folder. Without {@code redis-server} on the PATH the test skips, or
     * fails when the environment sets {@code CHIRP_REQUIRE_CASES=1} (as CI does).
     */
    static OwnRedis start(Path folder) throws Exception {
        boolean installed = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "redis-server")));
        if (!installed) {
            if ("1".equals(System.getenv("CHIRP_REQUIRE_CASES"))) {
                fail("CHIRP_REQUIRE_CASES=1 but redis-server is not on the PATH");
            }
            Assumptions.abort("redis-server is not on the PATH "
                    + "(set CHIRP_REQUIRE_CASES=1 to make this a failure)");
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        OwnRedis redis = new OwnRedis(folder, port);
        redis.restart();
        return redis;
    }

    URI address() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    /** Starts the server (again) and waits until it answers. */
    void restart() throws Exception {
        process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--appendonly", "yes", "--appendfsync", "always", "--dir", folder.toString(), "--save", "")
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            try (Jedis jedis = new Jedis(address(), 500, 500)) {
                jedis.ping();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("redis-server did not start on port " + port + "; see "
                            + folder.resolve("redis.log"), e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Kills the server outright (SIGKILL), as a crash would, and waits until it is gone. */
    void kill() throws InterruptedException, IOException {
        process.destroyForcibly();
        if (!process.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
            throw new IOException("redis-server " + process.pid() + " did not die");
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
