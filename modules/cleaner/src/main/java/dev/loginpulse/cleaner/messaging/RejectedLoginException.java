package dev.loginpulse.cleaner.messaging;

/**
 * A raw login the cleaning rules reject. Its message becomes the {@code dead-letter-reason} header. It carries no stack
 * trace: rejection is an expected outcome, not a bug, and dirty traffic must stay cheap.
 */
public class RejectedLoginException extends RuntimeException {

    public RejectedLoginException(String reason) {
        super(reason, null, false, false);
    }
}
