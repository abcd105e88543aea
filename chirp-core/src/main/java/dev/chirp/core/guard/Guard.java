package dev.chirp.core.guard;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a post goes ahead: normalizes the text, applies the length and blank rules,
 * then the rate limit for the client.
 *
 * <p>Normalization: Unicode NFC; {@code \r\n} and {@code \r} become {@code \n}; a tab becomes
 * a space; other control characters and unpaired surrogates are removed; leading and trailing
 * white space is trimmed. A text is blank when nothing is left once white space, invisible
 * format characters (such as U+200B or U+FEFF), combining marks, variation selectors and
 * characters that render as nothing (U+034F, Hangul fillers, the blank Braille cell) are
 * removed. Length counts Unicode code points, so an emoji
 * counts as one. A text that is blank or too long does not use up the client's rate limit.
 *
 * <p>Thread-safe.
 */
public final class Guard {

    private final int maxLength;
    private final Optional<RateLimiter> limiter;
    private final Origins origins;
    private final TrustedProxies proxies;

    private Guard(Builder builder) {
        this.maxLength = builder.maxLength;
        this.limiter = builder.rateLimit.map(limit -> new RateLimiter(limit, builder.clock));
        this.origins = builder.origins;
        this.proxies = builder.proxies;
    }

    /**
     * Returns a builder with the defaults: 280 code points, 5 chirps per 10 seconds.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the length limit.
     *
     * @return the most code points a chirp may have
     */
    public int maxLength() {
        return maxLength;
    }

    /**
     * Returns which origins besides the server's own may post and open the live feed.
     *
     * @return the origin check
     */
    public Origins origins() {
        return origins;
    }

    /**
     * Returns the proxies whose forwarded headers are believed.
     *
     * @return the trusted proxies
     */
    public TrustedProxies proxies() {
        return proxies;
    }

    /**
     * Checks a post from a client.
     *
     * @param clientKey what the rate limit counts by, usually {@link Caller#rateKey()}
     * @param rawText the text as received, possibly null
     * @return the verdict, with the normalized text when accepted
     */
    public Verdict check(String clientKey, String rawText) {
        Objects.requireNonNull(clientKey, "clientKey");
        Verdict verdict = normalize(rawText);
        if (verdict instanceof Verdict.Rejected || limiter.isEmpty()) {
            return verdict;
        }
        Optional<Duration> wait = limiter.get().acquire(clientKey);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return new Verdict.Rejected(Verdict.Reason.RATE_LIMITED,
                    "You are chirping too fast; try again in " + seconds + (seconds == 1 ? " second." : " seconds."),
                    Duration.ofSeconds(seconds));
        }
        return verdict;
    }

    /**
     * Applies the normalization, blank and length rules, without counting a post.
     *
     * @param rawText the text as received, possibly null
     * @return the verdict
     */
    public Verdict normalize(String rawText) {
        // Normalizing long runs of combining marks takes time that grows with the square of
        // the run, so text far over the limit is refused before it is normalized. NFC never
        // shrinks text by a factor of four or more, so nothing that could fit is refused here.
        if (rawText != null && rawText.length() > 8L * maxLength) {
            int raw = rawText.codePointCount(0, rawText.length());
            if (raw > 4L * maxLength) {
                return new Verdict.Rejected(Verdict.Reason.TOO_LONG,
                        "Chirp is " + raw + " characters; the limit is " + maxLength + ".", Duration.ZERO);
            }
        }
        String text = rawText == null ? "" : clean(rawText);
        if (isBlank(text)) {
            return new Verdict.Rejected(Verdict.Reason.BLANK, "Chirp is empty.", Duration.ZERO);
        }
        int length = text.codePointCount(0, text.length());
        if (length > maxLength) {
            return new Verdict.Rejected(Verdict.Reason.TOO_LONG,
                    "Chirp is " + length + " characters; the limit is " + maxLength + ".", Duration.ZERO);
        }
        return new Verdict.Accepted(text);
    }

    /** Forgets rate-limit windows that have ended, bounding the limiter's memory. */
    public void sweep() {
        limiter.ifPresent(RateLimiter::sweep);
    }

    private static String clean(String raw) {
        String text = Normalizer.normalize(raw, Normalizer.Form.NFC)
                .replace("\r\n", "\n")
                .replace('\r', '\n')
                .replace('\t', ' ');
        StringBuilder kept = new StringBuilder(text.length());
        text.codePoints()
                .filter(cp -> cp == '\n' || (Character.getType(cp) != Character.CONTROL
                        && Character.getType(cp) != Character.SURROGATE))
                .forEach(kept::appendCodePoint);
        return trim(kept.toString());
    }

    private static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isSpace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isSpace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    private static boolean isBlank(String text) {
        return text.codePoints().allMatch(cp -> isSpace(cp) || isInvisible(cp));
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    /**
     * Format characters, marks with nothing to sit on, variation selectors, and the fillers
     * and blank patterns that render as nothing (Hangul fillers, the blank Braille cell).
     */
    private static boolean isInvisible(int cp) {
        int type = Character.getType(cp);
        return type == Character.FORMAT
                || type == Character.NON_SPACING_MARK
                || type == Character.ENCLOSING_MARK
                || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0
                || cp == 0x2800
                || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
    }

    /** Settings for a {@link Guard}; each setter checks its argument at once. */
    public static final class Builder {

        private int maxLength = 280;
        private Optional<RateLimit> rateLimit = Optional.of(RateLimit.DEFAULT);
        private Clock clock = Clock.systemUTC();
        private Origins origins = Origins.sameOriginOnly();
        private TrustedProxies proxies = TrustedProxies.none();

        private Builder() {
        }

        /**
         * Sets origins, besides the server's own, whose pages may post and open the live
         * feed. Default: none.
         *
         * @param allowedOrigins origins such as {@code https://chirp.example}
         * @return this builder
         * @throws IllegalArgumentException if one is not a {@code scheme://host[:port]} origin
         */
        public Builder allowedOrigins(Collection<String> allowedOrigins) {
            this.origins = Origins.allowing(allowedOrigins);
            return this;
        }

        /**
         * Sets the reverse proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto}
         * headers are believed. Default: none, so rate limits count by the peer address.
         *
         * @param trustedProxies addresses such as {@code 127.0.0.1}, or ranges such as {@code 10.0.0.0/8}
         * @return this builder
         * @throws IllegalArgumentException if one is not an address or range
         */
        public Builder trustedProxies(Collection<String> trustedProxies) {
            this.proxies = TrustedProxies.of(trustedProxies);
            return this;
        }

        /**
         * Sets the longest chirp, in Unicode code points. Default 280.
         *
         * @param maxLength at least 1
         * @return this builder
         */
        public Builder maxLength(int maxLength) {
            if (maxLength < 1) {
                throw new IllegalArgumentException("max length must be at least 1, got " + maxLength);
            }
            this.maxLength = maxLength;
            return this;
        }

        /**
         * Sets the rate limit per client. Default 5 chirps per 10 seconds.
         *
         * @param rateLimit the limit
         * @return this builder
         */
        public Builder rateLimit(RateLimit rateLimit) {
            this.rateLimit = Optional.of(rateLimit);
            return this;
        }

        /**
         * Turns the rate limit off, for load tests.
         *
         * @return this builder
         */
        public Builder noRateLimit() {
            this.rateLimit = Optional.empty();
            return this;
        }

        /**
         * Sets the clock the rate limit reads. Default: the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the guard.
         *
         * @return the guard
         */
        public Guard build() {
            return new Guard(this);
        }
    }
}
