import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Delivery latency from one node to the event streams of another: posts go to {@code --post}
 * at a fixed rate, {@code --clients} event streams read {@code --watch}, and each delivery's
 * latency is taken from the send time written into the chirp (one JVM, one clock). Give the
 * same URL twice for the single-node figure. Loopback only; the nodes need --rate-limit off.
 *
 * <pre>java bench/CrossNode.java --post URL --watch URL [--clients 200] [--rate 100] [--seconds 10]</pre>
 */
public final class CrossNode {

    public static void main(String[] args) throws Exception {
        String post = null;
        String watch = null;
        int clients = 200;
        int rate = 100;
        int seconds = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--post" -> post = args[i + 1];
                case "--watch" -> watch = args[i + 1];
                case "--clients" -> clients = Integer.parseInt(args[i + 1]);
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (post == null || watch == null) {
            System.err.println("usage: java bench/CrossNode.java --post URL --watch URL [--clients N] [--rate R] [--seconds S]");
            System.exit(64);
        }
        for (String url : List.of(post, watch)) {
            String host = URI.create(url).getHost();
            if (!host.startsWith("127.") && !host.equals("localhost")) {
                throw new IllegalArgumentException("loopback targets only, not " + url);
            }
        }
        new CrossNode(post, watch, clients, rate, seconds).run();
    }

    private final String postUrl;
    private final String watchUrl;
    private final int clientCount;
    private final int rate;
    private final int seconds;
    private final String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong duplicates = new AtomicLong();
    private final List<Receiver> receivers = new ArrayList<>();

    private CrossNode(String postUrl, String watchUrl, int clientCount, int rate, int seconds) {
        this.postUrl = postUrl;
        this.watchUrl = watchUrl;
        this.clientCount = clientCount;
        this.rate = rate;
        this.seconds = seconds;
    }

    private void run() throws Exception {
        CountDownLatch open = new CountDownLatch(clientCount);
        for (int c = 0; c < clientCount; c++) {
            Receiver receiver = new Receiver(open);
            receivers.add(receiver);
            HttpRequest request = HttpRequest.newBuilder(URI.create(watchUrl + "/stream")).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(receiver));
        }
        if (!open.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException((clientCount - open.getCount()) + " of " + clientCount + " streams opened");
        }

        int total = rate * seconds;
        CountDownLatch answered = new CountDownLatch(total);
        ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger seq = new AtomicInteger();
        long began = System.nanoTime();
        poster.scheduleAtFixedRate(() -> {
            int n = seq.getAndIncrement();
            if (n >= total) {
                return;
            }
            String body = "{\"chirp\":\"xn-" + run + "-" + n + "-" + System.nanoTime() + "\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(postUrl + "/api/chirps"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure == null && response.statusCode() / 100 == 2) {
                    accepted.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
                answered.countDown();
            });
        }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
        answered.await(seconds + 30L, TimeUnit.SECONDS);
        poster.shutdownNow();
        long expected = (long) accepted.get() * clientCount;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (received() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long lastDelivery = receivers.stream().mapToLong(r -> r.lastAt).max().orElse(began);
        report(expected, lastDelivery - began);
        System.exit(0);
    }

    private long received() {
        return receivers.stream().mapToLong(r -> r.count).sum();
    }

    private void report(long expected, long spanNanos) {
        long received = received();
        long[] all = receivers.stream().flatMapToLong(r -> Arrays.stream(r.latencies, 0, r.count)).sorted().toArray();
        System.out.printf(Locale.ROOT, "post %s  watch %s  clients %d  rate %d/s for %d s%n", postUrl, watchUrl,
                clientCount, rate, seconds);
        System.out.printf(Locale.ROOT, "posts accepted %d  refused %d%n", accepted.get(), refused.get());
        System.out.printf(Locale.ROOT, "deliveries expected %d  received %d  missing %d  duplicates %d%n", expected,
                received, expected - received, duplicates.get());
        if (all.length > 0) {
            System.out.printf(Locale.ROOT, "latency ms p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", ms(all, 0.50),
                    ms(all, 0.90), ms(all, 0.99), all[all.length - 1] / 1e6);
            System.out.printf(Locale.ROOT, "throughput %.0f deliveries/s (first post to last delivery)%n",
                    received / (spanNanos / 1e9));
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * quantile))] / 1e6;
    }

    /** One event stream: counts this run's chirps once each and keeps their latencies. */
    private final class Receiver implements Flow.Subscriber<String> {

        private final CountDownLatch open;
        private final BitSet seen = new BitSet();
        private final String marker = "xn-" + run + "-";
        private long[] latencies = new long[1024];
        private volatile int count;
        private volatile long lastAt;
        private boolean counted;

        Receiver(CountDownLatch open) {
            this.open = open;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!counted) {
                counted = true;
                open.countDown();
            }
            int at = line.indexOf(marker);
            if (!line.startsWith("data:") || at < 0) {
                return;
            }
            long now = System.nanoTime();
            int seqStart = at + marker.length();
            int dash = line.indexOf('-', seqStart);
            int seq = Integer.parseInt(line, seqStart, dash, 10);
            int end = dash + 1;
            while (end < line.length() && Character.isDigit(line.charAt(end))) {
                end++;
            }
            long sent = Long.parseLong(line.substring(dash + 1, end));
            if (seen.get(seq)) {
                duplicates.incrementAndGet();
                return;
            }
            seen.set(seq);
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count] = now - sent;
            lastAt = now;
            count = count + 1;
        }

        @Override
        public void onError(Throwable throwable) {
            System.err.println("stream failed: " + throwable);
        }

        @Override
        public void onComplete() {
        }
    }
}
