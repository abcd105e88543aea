package dev.chirp.core.store;

/**
 * Thrown (through a post's future) when the store cannot make a chirp durable, such as when
 * the disk is full or the database cannot be reached. The chirp was not stored (with a remote
 * database, unless the connection broke after the database took it); the message is meant
 * for the person posting.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a sentence for the person posting, such as what to do
     * @param cause what went wrong underneath
     */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
