package dev.chirp.core.store;

/**
 * Thrown (through a post's future) when the store cannot make a chirp durable, such as when
 * the disk is full. The chirp was not stored; the message is meant for the person posting.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
