package dev.chirp.server;

import dev.chirp.core.Chirp;
import dev.chirp.core.FeedObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts what the feed reports in Micrometer meters:
 * <ul>
 * <li>{@code chirp.chirps.accepted}: chirps stored;</li>
 * <li>{@code chirp.chirps.rejected}, tagged {@code reason}: refused posts, every reason
 *     present from the start at zero;</li>
 * <li>{@code chirp.delivery.latency}, tagged {@code transport} ({@code sse} or {@code ws}):
 *     from publishing a chirp to handing it to a connection's write, as a histogram with
 *     fixed buckets from 100 µs to 10 s; a sample: each event stream reports the oldest
 *     chirp of one write in 16, each socket one chirp in 16;</li>
 * <li>{@code chirp.dump.flush}, tagged {@code outcome} ({@code ok} or {@code failed}): each
 *     write of the dump, forcing to disk included;</li>
 * <li>{@code chirp.journal.append}: each group commit to the journal, forcing to disk
 *     included, and {@code chirp.journal.group}: how many writes each one carried.</li>
 * </ul>
 * A timed delivery costs a clock reading and Micrometer's timer update, which neither locks
 * nor allocates (about 100 to 170 ns on a small machine); the meters are looked up once, here.
 */
final class MeterObserver implements FeedObserver {

    private static final Duration[] DELIVERY_BUCKETS = millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100,
            250, 500, 1000, 2500, 5000, 10_000);
    private static final Duration[] FLUSH_BUCKETS = millis(1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000);
    private static final Duration[] JOURNAL_BUCKETS = millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 1000);

    private final Counter accepted;
    private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
    private final Timer sseDelivery;
    private final Timer wsDelivery;
    private final Timer flushed;
    private final Timer flushFailed;
    private final Timer journaled;
    private final DistributionSummary groupSize;

    MeterObserver(MeterRegistry registry) {
        this.accepted = Counter.builder("chirp.chirps.accepted")
                .description("Chirps stored in the feed")
                .register(registry);
        for (Rejection reason : Rejection.values()) {
            rejected.put(reason, Counter.builder("chirp.chirps.rejected")
                    .description("Attempts to post that were refused, by reason")
                    .tag("reason", reason.label())
                    .register(registry));
        }
        this.sseDelivery = delivery(registry, Transport.SSE.flag());
        this.wsDelivery = delivery(registry, Transport.WS.flag());
        this.flushed = flush(registry, "ok");
        this.flushFailed = flush(registry, "failed");
        this.journaled = Timer.builder("chirp.journal.append")
                .description("Appends to the journal, forcing it to disk included: one per group commit")
                .serviceLevelObjectives(JOURNAL_BUCKETS)
                .register(registry);
        this.groupSize = DistributionSummary.builder("chirp.journal.group")
                .description("Posts and clears made durable together by one journal append")
                .register(registry);
    }

    @Override
    public void stored(Chirp chirp) {
        accepted.increment();
    }

    @Override
    public void rejected(Rejection reason) {
        rejected.get(reason).increment();
    }

    @Override
    public void delivered(String transport, long nanos) {
        // Transports other than Chirp's own two are not timed.
        if (transport.equals("sse")) {
            sseDelivery.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } else if (transport.equals("ws")) {
            wsDelivery.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void flushed(Duration took, boolean succeeded) {
        (succeeded ? flushed : flushFailed).record(took);
    }

    @Override
    public void journaled(Duration took, int writes) {
        journaled.record(took);
        groupSize.record(writes);
    }

    private static Timer delivery(MeterRegistry registry, String transport) {
        return Timer.builder("chirp.delivery.latency")
                .description("Time from publishing a chirp to handing it to a connection's write")
                .tag("transport", transport)
                .serviceLevelObjectives(DELIVERY_BUCKETS)
                .register(registry);
    }

    private static Timer flush(MeterRegistry registry, String outcome) {
        return Timer.builder("chirp.dump.flush")
                .description("Writes of the dump file, forcing it to disk included")
                .tag("outcome", outcome)
                .serviceLevelObjectives(FLUSH_BUCKETS)
                .register(registry);
    }

    private static Duration[] millis(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1_000_000));
        }
        return durations;
    }
}
