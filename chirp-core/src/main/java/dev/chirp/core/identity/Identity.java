package dev.chirp.core.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Throwaway identities: a handle such as {@code calmotter42} (adjective, animal, number from
 * 1 to 99999, some 400 million handles) minted on a first visit and kept in a signed cookie for
 * 24 hours.
 *
 * <p>The server decides who posts: a handle is taken only from the cookie, and only if the
 * cookie carries this server's signature over it: {@code HANDLE.ISSUED.SIGNATURE}, where
 * {@code ISSUED} is when the cookie was made, in epoch seconds, and the signature is the
 * HMAC-SHA256 of {@code HANDLE.ISSUED} under the server's secret, in unpadded base64url. A
 * cookie older than {@link #LIFETIME}, or issued more than a few minutes in the future, is
 * refused, so a copied cookie stops working after a day even if the browser kept it. Anything
 * else (a forged, altered or unsigned cookie) is replaced by a fresh handle too.
 *
 * <p>Thread-safe.
 */
public final class Identity {

    /** The cookie that carries the handle. */
    public static final String COOKIE_NAME = "handle";
    /** How long the cookie lasts. */
    public static final Duration LIFETIME = Duration.ofHours(24);
    /** The fewest bytes a signing secret may have. */
    public static final int MIN_SECRET_BYTES = 16;

    private static final String MAC = "HmacSHA256";
    private static final List<String> ADJECTIVES = List.of(
            "able", "amber", "bold", "brave", "bright", "brisk", "busy", "calm", "clever", "cool", "cosy",
            "crisp", "curly", "daring", "deft", "eager", "early", "fair", "fancy", "fast", "fine", "fond",
            "fresh", "gentle", "glad", "golden", "grand", "happy", "hardy", "jolly", "keen", "kind", "lazy",
            "lively", "lucky", "merry", "mild", "misty", "modest", "neat", "nimble", "noble", "plucky",
            "polite", "proud", "quick", "quiet", "rapid", "rosy", "shy", "silent", "silver", "sleek", "sly",
            "smart", "snowy", "solid", "sunny", "sweet", "swift", "tidy", "wary", "warm", "wise", "witty",
            "young", "zesty");
    private static final List<String> ANIMALS = List.of(
            "otter", "koala", "raven", "lynx", "finch", "heron", "tapir", "gecko", "bison", "moth", "puffin",
            "badger", "marten", "wren", "newt", "ibex", "alpaca", "beaver", "camel", "crane", "dingo",
            "dolphin", "eagle", "egret", "ferret", "gazelle", "gibbon", "goose", "hare", "hedgehog", "hippo",
            "hornet", "jackal", "jaguar", "lemur", "llama", "magpie", "mole", "moose", "ocelot", "orca",
            "owl", "panda", "parrot", "pelican", "penguin", "pony", "quail", "rabbit", "robin", "salmon",
            "seal", "shrew", "skunk", "sloth", "snail", "stork", "swan", "tiger", "toad", "trout", "turtle",
            "walrus", "weasel", "yak", "zebra");
    /** The largest number a handle ends with. */
    private static final int MAX_NUMBER = 99_999;
    private static final Pattern SHAPE = Pattern.compile("([a-z]+)[1-9][0-9]{0,4}");
    private static final Pattern ISSUED = Pattern.compile("0|[1-9][0-9]{0,11}");
    /** How far in the future an issue time may lie, for clocks that disagree a little. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final RandomGenerator random;
    private final SecretKeySpec key;
    private final boolean alwaysSecure;
    private final Clock clock;

    private Identity(RandomGenerator random, byte[] secret, boolean alwaysSecure, Clock clock) {
        this.random = random;
        this.clock = clock;
        this.key = new SecretKeySpec(secret, MAC);
        this.alwaysSecure = alwaysSecure;
    }

    /**
     * Creates identities drawn from a {@link SecureRandom} and signed with a random secret of
     * this process, so cookies do not survive a restart.
     *
     * @return the identity source
     */
    public static Identity create() {
        return builder().build();
    }

    /**
     * Creates identities drawn from the given generator, signed with a random secret of this
     * process, for repeatable tests.
     *
     * @param random the source of randomness
     * @return the identity source
     */
    public static Identity create(RandomGenerator random) {
        return builder().random(random).build();
    }

    /**
     * Returns a builder with the defaults: a {@link SecureRandom}, a random secret of this
     * process, {@code Secure} cookies only for requests that came over https.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Mints a new handle.
     *
     * @return a handle such as {@code calmotter42}
     */
    public String mint() {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
                + ANIMALS.get(random.nextInt(ANIMALS.size()))
                + (1 + random.nextInt(MAX_NUMBER));
    }

    /**
     * Tells whether a value has the shape of a minted handle.
     *
     * @param handle the value, possibly null
     * @return whether it could have come from {@link #mint()}
     */
    public boolean isHandle(String handle) {
        if (handle == null || handle.length() > 40) {
            return false;
        }
        Matcher matcher = SHAPE.matcher(handle);
        if (!matcher.matches()) {
            return false;
        }
        String words = matcher.group(1);
        for (String adjective : ADJECTIVES) {
            if (words.startsWith(adjective) && ANIMALS.contains(words.substring(adjective.length()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the handle a cookie value names, if this server signed it.
     *
     * @param cookieValue the cookie's value, possibly null
     * @return the handle, or empty if a new one must be minted
     */
    public Optional<String> fromCookie(String cookieValue) {
        if (cookieValue == null || cookieValue.length() > 128) {
            return Optional.empty();
        }
        int dot = cookieValue.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String signed = cookieValue.substring(0, dot);
        int issuedDot = signed.lastIndexOf('.');
        if (issuedDot < 0) {
            return Optional.empty();
        }
        String handle = signed.substring(0, issuedDot);
        String issued = signed.substring(issuedDot + 1);
        if (!isHandle(handle) || !ISSUED.matcher(issued).matches()) {
            return Optional.empty();
        }
        byte[] given = cookieValue.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        // The encoded forms are compared, so only the one canonical spelling of a signature
        // passes; in constant time, so response timing reveals nothing about it.
        if (!MessageDigest.isEqual(given, encodedSignature(signed))) {
            return Optional.empty();
        }
        long issuedAt = Long.parseLong(issued);
        long now = clock.instant().getEpochSecond();
        boolean fresh = issuedAt <= now + CLOCK_SKEW.toSeconds() && now - issuedAt < LIFETIME.toSeconds();
        return fresh ? Optional.of(handle) : Optional.empty();
    }

    /**
     * Returns the cookie value that carries a handle: the handle, the time now and the
     * signature over both.
     *
     * @param handle a handle from {@link #mint()}
     * @return such as {@code calmotter42.1764844800.} followed by 43 base64url characters
     * @throws IllegalArgumentException if the handle was not minted here
     */
    public String cookieValueFor(String handle) {
        if (!isHandle(handle)) {
            throw new IllegalArgumentException("not a minted handle: " + handle);
        }
        String signed = handle + "." + Math.max(0, clock.instant().getEpochSecond());
        return signed + "." + new String(encodedSignature(signed), StandardCharsets.US_ASCII);
    }

    /**
     * Finds the identity cookie's value in a request's {@code Cookie} header. Other cookies,
     * however malformed (another application on the same host may set anything), are skipped.
     *
     * @param cookieHeaders the values of the request's {@code Cookie} headers, possibly none
     * @return the value of the first {@value #COOKIE_NAME} cookie, or null if there is none
     */
    public static String cookieValue(Iterable<String> cookieHeaders) {
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equals(COOKIE_NAME)) {
                    String value = pair.substring(equals + 1).trim();
                    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                            ? value.substring(1, value.length() - 1) : value;
                }
            }
        }
        return null;
    }

    /**
     * Decides the handle for a request that came over plain http.
     *
     * @param cookieValue the identity cookie's value, or null if the request had none
     * @return the handle, and the {@code Set-Cookie} header value if one was minted
     * @see #resolve(String, boolean)
     */
    public Visitor resolve(String cookieValue) {
        return resolve(cookieValue, false);
    }

    /**
     * Decides the handle for a request: the signed cookie's, or a new one that must be stored.
     *
     * @param cookieValue the identity cookie's value, or null if the request had none
     * @param https whether the visitor's browser reached the server over https, which makes
     *     the new cookie {@code Secure}
     * @return the handle, and the {@code Set-Cookie} header value if one was minted
     */
    public Visitor resolve(String cookieValue, boolean https) {
        Optional<String> known = fromCookie(cookieValue);
        if (known.isPresent()) {
            return new Visitor(known.get(), Optional.empty());
        }
        // Limitation: nothing limits how many handles one address is minted, so a client that
        // drops its cookie on every request can fish for a particular handle; the size of the
        // handle space is the only defence for now.
        String minted = mint();
        return new Visitor(minted, Optional.of(setCookieHeader(minted, https)));
    }

    /**
     * The handle a request posts under.
     *
     * @param handle the handle
     * @param setCookie the {@code Set-Cookie} header value to send when the handle is new
     */
    public record Visitor(String handle, Optional<String> setCookie) {
        /**
         * Checks the parts are present.
         *
         * @param handle the handle
         * @param setCookie the {@code Set-Cookie} header value to send when the handle is new
         */
        public Visitor {
            Objects.requireNonNull(handle, "handle");
            Objects.requireNonNull(setCookie, "setCookie");
        }
    }

    /**
     * Returns the {@code Set-Cookie} header value that stores a handle, for plain http.
     *
     * @param handle a handle from {@link #mint()}
     * @return the header value
     * @throws IllegalArgumentException if the handle was not minted here
     * @see #setCookieHeader(String, boolean)
     */
    public String setCookieHeader(String handle) {
        return setCookieHeader(handle, false);
    }

    /**
     * Returns the {@code Set-Cookie} header value that stores a handle: signed, path {@code /},
     * {@code HttpOnly}, {@code SameSite=Lax}, and {@code Secure} over https or when this
     * source was built to always say so.
     *
     * @param handle a handle from {@link #mint()}
     * @param https whether the visitor's browser reached the server over https
     * @return the header value
     * @throws IllegalArgumentException if the handle was not minted here
     */
    public String setCookieHeader(String handle, boolean https) {
        return COOKIE_NAME + "=" + cookieValueFor(handle) + "; Max-Age=" + LIFETIME.toSeconds()
                + "; Path=/; HttpOnly; SameSite=Lax" + (https || alwaysSecure ? "; Secure" : "");
    }

    private byte[] encodedSignature(String signed) {
        return Base64.getUrlEncoder().withoutPadding().encode(signature(signed));
    }

    private byte[] signature(String signed) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256, and the key is never empty.
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Settings for an {@link Identity}; each setter checks its argument at once. */
    public static final class Builder {

        private RandomGenerator random;
        private byte[] secret;
        private boolean alwaysSecure;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Sets the clock that dates new cookies and decides which have expired. Default: the
         * system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets where handles are drawn from. Default: a {@link SecureRandom}.
         *
         * @param random the source of randomness
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Sets the secret cookies are signed with; keep it the same across restarts so that
         * visitors keep their handles. Default: 32 random bytes drawn for this process.
         *
         * @param secret at least {@value #MIN_SECRET_BYTES} bytes; copied
         * @return this builder
         * @throws IllegalArgumentException if the secret is shorter
         */
        public Builder secret(byte[] secret) {
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("the identity secret must have at least "
                        + MIN_SECRET_BYTES + " bytes, got " + secret.length);
            }
            this.secret = secret.clone();
            return this;
        }

        /**
         * Marks every cookie {@code Secure}, for a server that browsers reach only over https
         * through a proxy that does not say so. Default: only cookies for requests that came
         * over https.
         *
         * @param alwaysSecure whether every cookie is {@code Secure}
         * @return this builder
         */
        public Builder alwaysSecure(boolean alwaysSecure) {
            this.alwaysSecure = alwaysSecure;
            return this;
        }

        /**
         * Builds the identity source.
         *
         * @return the identity source
         */
        public Identity build() {
            return new Identity(random == null ? new SecureRandom() : random,
                    secret == null ? Secrets.random() : secret, alwaysSecure, clock);
        }
    }
}
