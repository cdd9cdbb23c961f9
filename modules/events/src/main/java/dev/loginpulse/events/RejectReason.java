package dev.loginpulse.events;

/**
 * Why the cleaner dead-lettered a raw record. The code is the first word of the {@link Topics#DEAD_LETTER_REASON}
 * header.
 */
public enum RejectReason {
    /** Larger than the cleaner's size limit; not parsed at all. */
    TOO_LARGE,
    /** Not parseable as JSON (including invalid UTF-8, truncated input, nesting deeper than the limit). */
    NOT_JSON,
    /** Valid JSON, but not an object. */
    NOT_AN_OBJECT,
    /** Content after the end of the top-level object. */
    TRAILING_CONTENT,
    /** A known field appears twice, so its value is ambiguous. */
    DUPLICATE_FIELD,
    /** A known field holds an object, array or boolean where a string or number belongs. */
    INVALID_FIELD_TYPE,
    /** A known field's text is longer than {@link LoginCleaner#MAX_FIELD_LENGTH}. */
    FIELD_TOO_LONG,
    /** {@code user_id} missing, null or blank. */
    MISSING_USER_ID,
    /** {@code timestamp} missing or null. */
    MISSING_TIMESTAMP,
    /** {@code timestamp} not a non-negative integer (or a string holding one). */
    INVALID_TIMESTAMP,
    /** {@code timestamp} beyond year 9999, or further in the future than the cleaner allows. */
    TIMESTAMP_OUT_OF_RANGE
}
