package dev.chirp.transport.ws;

/** The heap in use, for tests that check that a client which stops reading does not grow it. */
final class Heap {

    private Heap() {
    }

    /** Returns the bytes of heap in use after full collections, so only live objects count. */
    static long usedAfterCollection() {
        Runtime runtime = Runtime.getRuntime();
        // A second and third collection free what the first one only made unreachable.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Formats a byte count in MiB with two decimals. */
    static String mebibytes(long bytes) {
        return String.format("%.2f MiB", bytes / (1024.0 * 1024.0));
    }
}
