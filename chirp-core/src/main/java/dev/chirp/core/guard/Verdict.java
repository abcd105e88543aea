package dev.chirp.core.guard;

import java.time.Duration;
import java.util.Objects;

/** What the guard decided about one attempt to post. */
public sealed interface Verdict {

    /**
     * The post may go ahead with this text.
     *
     * @param text the normalized text to store
     */
    record Accepted(String text) implements Verdict {
        /**
         * Checks the text is present.
         *
         * @param text the normalized text to store
         */
        public Accepted {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * The post is refused.
     *
     * @param reason why, for choosing a status code
     * @param message what a person should read, one sentence
     * @param retryAfter how long to wait before trying again; zero unless rate limited
     */
    record Rejected(Reason reason, String message, Duration retryAfter) implements Verdict {
        /**
         * Checks the parts are present.
         *
         * @param reason why, for choosing a status code
         * @param message what a person should read, one sentence
         * @param retryAfter how long to wait before trying again; zero unless rate limited
         */
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    /** Why a post was refused. */
    enum Reason {
        /** Nothing visible was left after normalization. */
        BLANK,
        /** Longer than the limit, in code points. */
        TOO_LONG,
        /** The client posted too often. */
        RATE_LIMITED
    }
}
