package dev.loginpulse.events;

/** The outcome of cleaning one raw record: exactly one of {@link Cleaned} or {@link Rejected}. */
public sealed interface CleaningResult {

    /** The record was cleaned; it belongs on {@link Topics#USER_LOGIN_CLEAN}. */
    record Cleaned(CleanLogin login) implements CleaningResult {
    }

    /** The record cannot be cleaned; it belongs on {@link Topics#USER_LOGIN_DLQ} with this reason. */
    record Rejected(RejectReason reason, String detail) implements CleaningResult {

        /** The value of the {@link Topics#DEAD_LETTER_REASON} header, e.g. {@code "MISSING_USER_ID: user_id is blank"}. */
        public String headerValue() {
            return reason.name() + ": " + detail;
        }
    }
}
