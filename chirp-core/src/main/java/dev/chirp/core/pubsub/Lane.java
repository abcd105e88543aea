package dev.chirp.core.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The live connections that one event-loop thread owns, subscribed to the broadcaster as one.
 *
 * <p>Publishing a chirp only queues it here; the lane's own thread then hands everything
 * queued since its last round to each of its members in one {@link Batch}, so a connection
 * gets one write per round however many chirps arrived, and the publisher never touches a
 * connection. Between rounds the lane rests {@value #REST_FACTOR} times as long as its last
 * round took, at most {@link #MAX_REST}: under light load a chirp goes out at once, under
 * heavy load rounds carry more chirps each instead of spending every cycle on system calls.
 *
 * <p>Limitation: the rest is a fixed share of the thread, not a latency budget. With 2 000
 * connections and 200 chirps a second on one core a round takes about 10 ms and a chirp waits
 * up to a whole round and rest for its turn (p99 near 140 ms); with 19 800 connections, near
 * 700 ms. A shorter rest lowers that but leaves posters less of the core.
 *
 * <p>A connection joins with the id of the newest chirp it already has, read from the feed
 * on the lane's thread just before joining. Chirps published before that read are either in
 * it or still queued here, and the lane passes each member only what is newer than what it
 * has: no gap and no repeat, with no lock between the publisher and the connections.
 *
 * <p>{@link #deliver} may be called from any thread; everything else runs on the lane's
 * thread except {@link Seat#leave()}, which hops there.
 */
public final class Lane implements Subscriber {

    private static final System.Logger LOG = System.getLogger(Lane.class.getName());

    /** How many times as long as its last round a lane rests before the next one. */
    public static final int REST_FACTOR = 4;

    /** The longest rest between two rounds, which bounds the delay it adds to a chirp. */
    public static final long MAX_REST = TimeUnit.MILLISECONDS.toNanos(200);

    /** Schedules work on the lane's thread. */
    @FunctionalInterface
    public interface Scheduler {

        /**
         * Runs a task on the lane's thread after a delay.
         *
         * @param task what to run
         * @param delayNanos 0 for as soon as possible
         */
        void schedule(Runnable task, long delayNanos);
    }

    /** A connection in a lane. Called only on the lane's thread. */
    @FunctionalInterface
    public interface Member {

        /**
         * Sends a round's chirps. Must not block; a member that cannot keep up closes itself.
         *
         * @param batch the round's chirps
         * @param from the index of the first chirp this member does not have yet
         */
        void take(Batch batch, int from);
    }

    /** A member's place in its lane. */
    public final class Seat {

        private final Member member;
        private long sentThrough;
        private int index = -1;

        private Seat(Member member, long sentThrough) {
            this.member = member;
            this.sentThrough = sentThrough;
        }

        /** Leaves the lane; safe from any thread and more than once. */
        public void leave() {
            if (Thread.currentThread() == thread) {
                remove(this);
            } else {
                scheduler.schedule(() -> remove(this), 0);
            }
        }
    }

    private final Thread thread;
    private final Scheduler scheduler;
    private final LongSupplier clock;
    private final ConcurrentLinkedQueue<Broadcast> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable round = this::round;
    /** When the next round may start, in {@link #clock} units; written by the lane's thread. */
    private volatile long restUntil;

    /** Touched only on the lane's thread. */
    private final List<Seat> seats = new ArrayList<>();
    private final List<Seat> leaving = new ArrayList<>();
    private final List<Broadcast> drained = new ArrayList<>();
    private boolean inRound;

    /**
     * Creates a lane for one event-loop thread.
     *
     * @param thread the thread that runs the lane's rounds and owns its members
     * @param scheduler runs tasks on that thread
     */
    public Lane(Thread thread, Scheduler scheduler) {
        this(thread, scheduler, System::nanoTime);
    }

    Lane(Thread thread, Scheduler scheduler, LongSupplier clock) {
        this.thread = Objects.requireNonNull(thread, "thread");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.restUntil = clock.getAsLong();
    }

    /**
     * Returns the thread that runs this lane.
     *
     * @return the event-loop thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Adds a connection. Call on the lane's thread, right after reading from the feed what the
     * connection already has.
     *
     * @param member the connection
     * @param sentThrough the id of the newest chirp the connection has, or 0
     * @return its seat, to leave with
     * @throws IllegalStateException if called on another thread
     */
    public Seat join(Member member, long sentThrough) {
        checkThread();
        Seat seat = new Seat(Objects.requireNonNull(member, "member"), sentThrough);
        seat.index = seats.size();
        seats.add(seat);
        return seat;
    }

    /**
     * Returns how many connections are in the lane. Call on the lane's thread.
     *
     * @return the member count
     */
    public int size() {
        checkThread();
        return seats.size();
    }

    @Override
    public void deliver(Broadcast broadcast) {
        incoming.add(broadcast);
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            scheduler.schedule(round, Math.max(0, restUntil - clock.getAsLong()));
        }
    }

    private void round() {
        long began = clock.getAsLong();
        // Cleared before draining: a chirp queued from here on schedules the next round.
        scheduled.set(false);
        for (Broadcast next; (next = incoming.poll()) != null; ) {
            drained.add(next);
        }
        if (drained.isEmpty()) {
            return;
        }
        Batch batch = new Batch(drained);
        drained.clear();
        long lastId = batch.lastId();
        inRound = true;
        try {
            for (int i = 0; i < seats.size(); i++) {
                Seat seat = seats.get(i);
                if (seat.sentThrough < lastId) {
                    int from = batch.firstAfter(seat.sentThrough);
                    seat.sentThrough = lastId;
                    try {
                        seat.member.take(batch, from);
                    } catch (RuntimeException e) {
                        remove(seat);
                        LOG.log(System.Logger.Level.WARNING, "Dropped connection {0} from live chirps: it failed "
                                + "on chirp {1}: {2}. Its client gets no live chirps until it reconnects; this is "
                                + "a bug in the transport, worth reporting with this line",
                                seat.member, batch.get(from).chirp().id(), e.toString());
                    }
                }
            }
        } finally {
            inRound = false;
            leaving.forEach(this::remove);
            leaving.clear();
        }
        long ended = clock.getAsLong();
        restUntil = ended + Math.min((ended - began) * REST_FACTOR, MAX_REST);
    }

    private void remove(Seat seat) {
        if (seat.index < 0) {
            return;
        }
        if (inRound) {
            leaving.add(seat);
            return;
        }
        Seat last = seats.remove(seats.size() - 1);
        if (last != seat) {
            seats.set(seat.index, last);
            last.index = seat.index;
        }
        seat.index = -1;
    }

    private void checkThread() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("lane used from " + Thread.currentThread().getName()
                    + " instead of its own thread " + thread.getName());
        }
    }
}
