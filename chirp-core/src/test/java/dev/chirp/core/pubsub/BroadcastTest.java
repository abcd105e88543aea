package dev.chirp.core.pubsub;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.chirp.core.Chirp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BroadcastTest {

    private static final Chirp CHIRP = new Chirp(42, "calmotter7", "hi", Instant.EPOCH);

    @Test
    void encodesOnceForManySubscribersAndHandsEachTheSameObject() {
        AtomicInteger calls = new AtomicInteger();
        Encoding<StringBuilder> encoding = Encoding.of("counted", 10, chirp -> {
            calls.incrementAndGet();
            return new StringBuilder(chirp.text());
        });
        Broadcast broadcast = new Broadcast(CHIRP);
        List<StringBuilder> answers = new ArrayList<>();

        for (int subscriber = 0; subscriber < 50; subscriber++) {
            answers.add(broadcast.encoded(encoding));
        }

        assertEquals(1, calls.get(), "times the encoder ran");
        answers.forEach(answer -> assertSame(answers.get(0), answer, "one object for everyone"));
    }

    @Test
    void encodesOnceWhenManyThreadsAskAtOnce() throws Exception {
        int chirps = 300;
        int threads = 8;
        Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();
        Encoding<Object> encoding = Encoding.of("counted", chirps, chirp -> {
            calls.computeIfAbsent(chirp.id(), id -> new AtomicInteger()).incrementAndGet();
            return new Object();
        });
        List<Broadcast> broadcasts = new ArrayList<>();
        for (long id = 1; id <= chirps; id++) {
            broadcasts.add(new Broadcast(new Chirp(id, "calmotter7", "hi", Instant.EPOCH)));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Object>>> answers = new ArrayList<>();

        // Every thread walks the same broadcasts in the same order, so they ask for each at once.
        try {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    List<Object> encoded = new ArrayList<>();
                    for (Broadcast broadcast : broadcasts) {
                        encoded.add(broadcast.encoded(encoding));
                    }
                    return encoded;
                }));
            }
            start.countDown();
            List<Object> first = answers.get(0).get(10, SECONDS);
            for (Future<List<Object>> answer : answers) {
                List<Object> encoded = answer.get(10, SECONDS);
                for (int n = 0; n < chirps; n++) {
                    assertSame(first.get(n), encoded.get(n), "objects for chirp " + (n + 1));
                }
            }
        } finally {
            pool.shutdownNow();
        }

        calls.forEach((id, count) -> assertEquals(1, count.get(), "encodings of chirp " + id));
        assertEquals(chirps, calls.size(), "chirps encoded");
    }

    @Test
    void keepsOneResultPerEncoding() {
        Encoding<String> sse = Encoding.of("sse", 10, chirp -> "data: " + chirp.text());
        Encoding<String> ws = Encoding.of("ws", 10, chirp -> "<div>" + chirp.text() + "</div>");
        Broadcast broadcast = new Broadcast(CHIRP);

        String asSse = broadcast.encoded(sse);
        String asWs = broadcast.encoded(ws);

        assertEquals("data: hi", asSse);
        assertEquals("<div>hi</div>", asWs);
        assertSame(asSse, broadcast.encoded(sse), "the sse form is kept beside the ws form");
    }
}
