package dev.loginpulse.events;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The cleaning rules of the contract ({@code docs/contracts.md}) as a pure function from the bytes of a raw
 * {@link Topics#USER_LOGIN} record to a {@link CleaningResult}. It never throws: every input is either cleaned or
 * rejected with a reason. Thread-safe. It decodes the record and judges the values; {@link RawFields} reads the
 * record's JSON, {@link Timestamps} its timestamp.
 */
public final class LoginCleaner {

    /** Default largest raw record the cleaner parses: 1 MiB, the broker's default maximum message size. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    /** Default tolerance for event times ahead of the cleaner's clock: 1 h, the broker's own default for timestamps. */
    public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(1);
    /** Longest text of one known field, in chars. */
    public static final int MAX_FIELD_LENGTH = 512;
    /** Value a missing, null or blank optional field is cleaned to. */
    public static final String UNKNOWN = "unknown";
    /** Timestamps at or above this are milliseconds, below it seconds (10^11 s is the year 5138). */
    public static final long MILLIS_THRESHOLD = 100_000_000_000L;
    /** 9999-12-31T23:59:59Z, the last second ISO-8601 writes with four year digits. */
    public static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    private final int maxRecordBytes;
    private final Duration maxFutureSkew;
    private final Clock clock;

    /**
     * @param maxRecordBytes records larger than this are rejected unparsed ({@link RejectReason#TOO_LARGE})
     * @param maxFutureSkew how far past {@code clock}'s now an event time may lie
     * @param clock the clock for {@code maxFutureSkew}
     */
    public LoginCleaner(int maxRecordBytes, Duration maxFutureSkew, Clock clock) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
        }
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("maxFutureSkew must not be negative: " + maxFutureSkew);
        }
        this.maxRecordBytes = maxRecordBytes;
        this.maxFutureSkew = maxFutureSkew;
        this.clock = clock;
    }

    /** A cleaner with the default limits and the system clock. */
    public static LoginCleaner withDefaults() {
        return new LoginCleaner(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FUTURE_SKEW, Clock.systemUTC());
    }

    /** Cleans one raw record value; {@code null} (a tombstone) is rejected as {@link RejectReason#NOT_JSON}. */
    public CleaningResult clean(byte[] value) {
        if (value == null || value.length == 0) {
            return Rejections.reject(RejectReason.NOT_JSON, "empty record");
        }
        if (value.length > maxRecordBytes) {
            return Rejections.reject(RejectReason.TOO_LARGE, value.length + " bytes, limit " + maxRecordBytes);
        }
        CharBuffer text;
        try {
            // Strict UTF-8 (no overlong forms, surrogates or code points beyond U+10FFFF), and only UTF-8: parsing
            // the decoded chars stops Jackson from guessing UTF-16 or UTF-32.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            return Rejections.reject(RejectReason.NOT_JSON, "invalid UTF-8");
        }
        if (text.hasRemaining() && text.get(text.position()) == '\uFEFF') {
            text.position(text.position() + 1); // a UTF-8 byte order mark is tolerated
        }
        RawFields fields = new RawFields();
        CleaningResult.Rejected unreadable = fields.read(text);
        if (unreadable != null) {
            return unreadable;
        }
        return build(fields.texts, fields.seconds, fields.timestampText);
    }

    /** @param seconds the event time in epoch seconds, negative if missing; @param text as sent, for messages */
    private CleaningResult build(String[] fields, long seconds, String text) {
        String userId = fields[RawFields.USER_ID];
        if (isBlank(userId)) {
            return Rejections.reject(RejectReason.MISSING_USER_ID, "user_id is missing, null or blank");
        }
        if (seconds < 0) {
            return Rejections.reject(RejectReason.MISSING_TIMESTAMP, "timestamp is missing or null");
        }
        if (seconds > MAX_EPOCH_SECOND) {
            return Rejections.reject(RejectReason.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp " + text + " is after the year 9999");
        }
        Instant eventTime = Instant.ofEpochSecond(seconds);
        Instant latest = clock.instant().plus(maxFutureSkew);
        if (eventTime.isAfter(latest)) {
            return Rejections.reject(RejectReason.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp " + text + " is more than " + maxFutureSkew + " in the future");
        }
        return new CleaningResult.Cleaned(new CleanLogin(
                EventTimes.iso(seconds),
                cleanLocale(fields[RawFields.LOCALE]),
                cleanDeviceType(fields[RawFields.DEVICE_TYPE]),
                userId,
                orUnknown(fields[RawFields.APP_VERSION]),
                orUnknown(fields[RawFields.IP]),
                orUnknown(fields[RawFields.DEVICE_ID])));
    }

    /** Trimmed, upper-cased state code, or {@link UsState#UNKNOWN} if null, blank or not a {@link UsState}. */
    public static String cleanLocale(String locale) {
        if (locale == null) {
            return UsState.UNKNOWN;
        }
        String code = trim(locale);
        if (code.length() != 2 || !isAsciiLetter(code.charAt(0)) || !isAsciiLetter(code.charAt(1))) {
            return UsState.UNKNOWN; // upper-casing "ıl" would otherwise give "IL"
        }
        return UsState.fromCode(code.toUpperCase(Locale.ROOT)).map(UsState::code).orElse(UsState.UNKNOWN);
    }

    /** Lower case with all (Unicode) whitespace removed, or {@link #UNKNOWN} if nothing is left. */
    public static String cleanDeviceType(String deviceType) {
        if (deviceType == null) {
            return UNKNOWN;
        }
        StringBuilder out = new StringBuilder(deviceType.length());
        for (int i = 0; i < deviceType.length();) {
            int cp = deviceType.codePointAt(i);
            if (!isWhitespace(cp)) {
                out.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return out.isEmpty() ? UNKNOWN : out.toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** Without leading and trailing {@link #isWhitespace(int) whitespace}. */
    static String trim(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isWhitespace(text.codePointAt(start))) {
            start += Character.charCount(text.codePointAt(start));
        }
        while (end > start && isWhitespace(text.codePointBefore(end))) {
            end -= Character.charCount(text.codePointBefore(end));
        }
        return text.substring(start, end);
    }

    /**
     * Java whitespace, Unicode space separators (e.g. no-break space), next line (U+0085), the Mongolian vowel separator
     * and the zero-width spaces.
     */
    static boolean isWhitespace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x0085
                || cp == 0x180E || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF;
    }

    /** The value itself, or {@link #UNKNOWN} if null or blank. */
    public static String orUnknown(String value) {
        return isBlank(value) ? UNKNOWN : value;
    }

    /** Null, empty, or nothing but {@link #isWhitespace(int) whitespace}. */
    static boolean isBlank(String value) {
        return value == null || trim(value).isEmpty();
    }
}
