package dev.chirp.server;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Optional;

/** The process's open-file limit, which caps how many connections it can hold. */
final class OpenFiles {

    /** Files kept free for everything that is not a live connection. */
    static final int RESERVE = 200;

    private OpenFiles() {
    }

    /** Returns the open-file limit less the reserve, or empty where the JVM cannot tell. */
    static Optional<Integer> defaultMaxConnections() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long limit = unix.getMaxFileDescriptorCount();
            if (limit > 2L * RESERVE && limit < Integer.MAX_VALUE) {
                return Optional.of((int) (limit - RESERVE));
            }
        }
        return Optional.empty();
    }
}
