import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * POST throughput and latency against {@code POST /chirps}: N posters, each on one keep-alive
 * connection, each sending its next chirp as soon as the last one is answered. Run with
 * {@code java bench/PostLoad.java PORT [POSTERS] [SECONDS] [WARMUP_SECONDS]}; loopback only.
 * Prints posts per second and the latency percentiles of 2xx answers, in milliseconds.
 */
public final class PostLoad {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int posters = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;

        run(port, posters, warmup, false);
        run(port, posters, seconds, true);
    }

    private static void run(int port, int posters, int seconds, boolean report) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long[][] latencies = new long[posters][];
        int[] counts = new int[posters];
        int[] failures = new int[posters];
        CountDownLatch done = new CountDownLatch(posters);
        for (int p = 0; p < posters; p++) {
            int poster = p;
            Thread thread = new Thread(() -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port));
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    while (!stop.get()) {
                        byte[] body = ("chirp=load+" + poster + "+" + n).getBytes(StandardCharsets.US_ASCII);
                        byte[] head = ("POST /chirps HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                                + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                        long start = System.nanoTime();
                        out.write(head);
                        out.write(body);
                        out.flush();
                        int status = readResponse(in);
                        long took = System.nanoTime() - start;
                        if (status / 100 == 2) {
                            if (n == mine.length) {
                                mine = Arrays.copyOf(mine, n * 2);
                            }
                            mine[n++] = took;
                        } else {
                            failures[poster]++;
                        }
                    }
                } catch (IOException e) {
                    System.err.println("poster " + poster + ": " + e);
                } finally {
                    latencies[poster] = mine;
                    counts[poster] = n;
                    done.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        if (!report) {
            return;
        }

        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int p = 0; p < posters; p++) {
            System.arraycopy(latencies[p], 0, all, at, counts[p]);
            at += counts[p];
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "posters %d  seconds %d  posts %d  failed %d  posts/s %.0f  "
                + "latency ms p50 %.2f  p99 %.2f  max %.2f%n", posters, seconds, total,
                Arrays.stream(failures).sum(), total / (double) seconds, ms(all, 0.50), ms(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * quantile)] / 1e6;
    }

    /** Reads one response, skipping its body, and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            headers.append((char) b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = headers.toString();
        int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.skipNBytes(length);
        return status;
    }
}
