package dev.chirp.core.identity;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throwaway identities: a handle such as {@code calmotter42} (adjective, animal, number from
 * 1 to 99) minted on a first visit and kept in a cookie for 24 hours.
 *
 * <p>The server decides who posts: a handle is taken only from the cookie, and only if it has
 * the shape of a minted handle; anything else is replaced by a fresh one.
 *
 * <p>Limitation: the cookie is not signed, so a client can pick any handle that has the
 * minted shape.
 *
 * <p>Thread-safe.
 */
public final class Identity {

    /** The cookie that carries the handle. */
    public static final String COOKIE_NAME = "handle";
    /** How long the cookie lasts. */
    public static final Duration LIFETIME = Duration.ofHours(24);

    private static final List<String> ADJECTIVES = List.of("brave", "calm", "clever", "bold", "keen",
            "jolly", "quick", "lazy", "sly", "wary", "sunny", "quiet", "swift", "merry", "shy", "witty");
    private static final List<String> ANIMALS = List.of("otter", "koala", "raven", "lynx", "finch",
            "heron", "tapir", "gecko", "bison", "moth", "puffin", "badger", "marten", "wren", "newt", "ibex");
    private static final Pattern SHAPE = Pattern.compile("([a-z]+)[1-9][0-9]?");

    private final RandomGenerator random;

    private Identity(RandomGenerator random) {
        this.random = random;
    }

    /**
     * Creates identities drawn from a {@link SecureRandom}.
     *
     * @return the identity source
     */
    public static Identity create() {
        return new Identity(new SecureRandom());
    }

    /**
     * Creates identities drawn from the given generator, for repeatable tests.
     *
     * @param random the source of randomness
     * @return the identity source
     */
    public static Identity create(RandomGenerator random) {
        return new Identity(Objects.requireNonNull(random, "random"));
    }

    /**
     * Mints a new handle.
     *
     * @return a handle such as {@code calmotter42}
     */
    public String mint() {
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
                + ANIMALS.get(random.nextInt(ANIMALS.size()))
                + (1 + random.nextInt(99));
    }

    /**
     * Tells whether a value has the shape of a minted handle.
     *
     * @param handle the value, possibly null
     * @return whether it could have come from {@link #mint()}
     */
    public boolean isHandle(String handle) {
        if (handle == null || handle.length() > 32) {
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
     * Returns the handle a cookie value names, if it is one.
     *
     * @param cookieValue the cookie's value, possibly null
     * @return the handle, or empty if a new one must be minted
     */
    public Optional<String> fromCookie(String cookieValue) {
        return isHandle(cookieValue) ? Optional.of(cookieValue) : Optional.empty();
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
     * Decides the handle for a request: the cookie's, or a new one that must be stored.
     *
     * @param cookieValue the identity cookie's value, or null if the request had none
     * @return the handle, and the {@code Set-Cookie} header value if one was minted
     */
    public Visitor resolve(String cookieValue) {
        Optional<String> known = fromCookie(cookieValue);
        if (known.isPresent()) {
            return new Visitor(known.get(), Optional.empty());
        }
        String minted = mint();
        return new Visitor(minted, Optional.of(setCookieHeader(minted)));
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
     * Returns the {@code Set-Cookie} header value that stores a handle.
     *
     * @param handle a handle from {@link #mint()}
     * @return the header value, path {@code /}, {@code HttpOnly}, {@code SameSite=Lax}
     * @throws IllegalArgumentException if the handle was not minted here
     */
    public String setCookieHeader(String handle) {
        if (!isHandle(handle)) {
            throw new IllegalArgumentException("not a minted handle: " + handle);
        }
        return COOKIE_NAME + "=" + handle + "; Max-Age=" + LIFETIME.toSeconds()
                + "; Path=/; HttpOnly; SameSite=Lax";
    }
}
