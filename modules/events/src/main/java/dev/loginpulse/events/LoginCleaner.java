package dev.loginpulse.events;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The cleaning rules of the contract ({@code docs/contracts.md}) as a pure function from the bytes of a raw
 * {@link Topics#USER_LOGIN} record to a {@link CleaningResult}. It never throws: every input is either cleaned or
 * rejected with a reason. Thread-safe.
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

    /** Epoch seconds standing for a timestamp of more than 18 digits: after the year 9999, or beyond a long. */
    private static final long BEYOND_ANY_DATE = Long.MAX_VALUE;

    /** Unix seconds or milliseconds as decimal text: digits, an optional fraction, an optional exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private static final int USER_ID = 0;
    private static final int APP_VERSION = 1;
    private static final int DEVICE_TYPE = 2;
    private static final int IP = 3;
    private static final int LOCALE = 4;
    private static final int DEVICE_ID = 5;
    private static final int TIMESTAMP = 6;
    private static final String[] FIELD_NAMES = { "user_id", "app_version", "device_type", "ip", "locale", "device_id",
            "timestamp" };

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
            return reject(RejectReason.NOT_JSON, "empty record");
        }
        if (value.length > maxRecordBytes) {
            return reject(RejectReason.TOO_LARGE, value.length + " bytes, limit " + maxRecordBytes);
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
            return reject(RejectReason.NOT_JSON, "invalid UTF-8");
        }
        if (text.hasRemaining() && text.get(text.position()) == '\uFEFF') {
            text.position(text.position() + 1); // a UTF-8 byte order mark is tolerated
        }
        String[] fields = new String[FIELD_NAMES.length];
        boolean[] seen = new boolean[FIELD_NAMES.length];
        long timestamp;
        String timestampText;
        try (JsonParser parser = Json.UNTRUSTED.createParser(text.array(), text.arrayOffset() + text.position(),
                text.remaining())) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return reject(RejectReason.NOT_JSON, "no JSON value, only whitespace");
            }
            if (first != JsonToken.START_OBJECT) {
                // only a whole JSON value is "JSON, but not an object": an unclosed or too deep array is not JSON
                parser.skipChildren();
                if (parser.nextToken() != null) {
                    return reject(RejectReason.NOT_JSON, "content after the top-level " + describe(first));
                }
                return reject(RejectReason.NOT_AN_OBJECT, "top-level JSON value is " + describe(first));
            }
            long[] ts = { -1 };
            String[] tsText = { null };
            // The first problem of a field decides the reason, but only once the object is known to be JSON: a
            // record truncated or broken after it is NOT_JSON.
            CleaningResult.Rejected problem = null;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                int field = fieldIndex(parser.currentName());
                JsonToken valueToken = parser.nextToken();
                if (field < 0 || problem != null) {
                    parser.skipChildren();
                    continue;
                }
                if (seen[field]) {
                    problem = reject(RejectReason.DUPLICATE_FIELD, FIELD_NAMES[field] + " appears more than once");
                } else {
                    seen[field] = true;
                    problem = field == TIMESTAMP
                            ? readTimestamp(parser, valueToken, ts, tsText)
                            : readText(parser, valueToken, field, fields);
                }
                parser.skipChildren(); // the rejected value may be an object or array
            }
            if (problem != null) {
                return problem;
            }
            if (hasTrailingContent(parser)) {
                return reject(RejectReason.TRAILING_CONTENT, "content after the top-level object");
            }
            timestamp = ts[0];
            timestampText = tsText[0];
        } catch (IOException | RuntimeException e) {
            return reject(RejectReason.NOT_JSON, oneLine(e.getMessage()));
        }
        return build(fields, timestamp, timestampText);
    }

    /** @param seconds the event time in epoch seconds, negative if missing; @param text as sent, for messages */
    private CleaningResult build(String[] fields, long seconds, String text) {
        String userId = fields[USER_ID];
        if (isBlank(userId)) {
            return reject(RejectReason.MISSING_USER_ID, "user_id is missing, null or blank");
        }
        if (seconds < 0) {
            return reject(RejectReason.MISSING_TIMESTAMP, "timestamp is missing or null");
        }
        if (seconds > MAX_EPOCH_SECOND) {
            return reject(RejectReason.TIMESTAMP_OUT_OF_RANGE, "timestamp " + text + " is after the year 9999");
        }
        Instant eventTime = Instant.ofEpochSecond(seconds);
        Instant latest = clock.instant().plus(maxFutureSkew);
        if (eventTime.isAfter(latest)) {
            return reject(RejectReason.TIMESTAMP_OUT_OF_RANGE,
                    "timestamp " + text + " is more than " + maxFutureSkew + " in the future");
        }
        return new CleaningResult.Cleaned(new CleanLogin(
                DateTimeFormatter.ISO_INSTANT.format(eventTime),
                cleanLocale(fields[LOCALE]),
                cleanDeviceType(fields[DEVICE_TYPE]),
                userId,
                orUnknown(fields[APP_VERSION]),
                orUnknown(fields[IP]),
                orUnknown(fields[DEVICE_ID])));
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

    private static CleaningResult.Rejected readText(JsonParser parser, JsonToken token, int field, String[] fields)
            throws IOException {
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                if (parser.getTextLength() > MAX_FIELD_LENGTH) {
                    return reject(RejectReason.FIELD_TOO_LONG,
                            FIELD_NAMES[field] + " has " + parser.getTextLength() + " chars, limit " + MAX_FIELD_LENGTH);
                }
                fields[field] = parser.getText();
                return null;
            default:
                return reject(RejectReason.INVALID_FIELD_TYPE,
                        FIELD_NAMES[field] + " must be a string, is " + describe(token));
        }
    }

    /**
     * Reads the {@code timestamp} value into {@code out[0]} as epoch seconds (floored), and its text into
     * {@code text[0]}; returns the rejection if it is not a time. Numbers and numeric strings are unix seconds, or
     * milliseconds at or above {@link #MILLIS_THRESHOLD}, fractions floored; strings with a {@code T} are ISO-8601
     * date-times with {@code Z} or an offset.
     */
    private static CleaningResult.Rejected readTimestamp(JsonParser parser, JsonToken token, long[] out,
            String[] text) throws IOException {
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                text[0] = abbreviate(parser.getText());
                if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    // the common case, without text parsing: a whole number of seconds or milliseconds
                    long value = parser.getLongValue();
                    if (value < 0) {
                        return reject(RejectReason.INVALID_TIMESTAMP, "timestamp " + text[0] + " is negative");
                    }
                    out[0] = value >= MILLIS_THRESHOLD ? value / 1000 : value;
                    return null;
                }
                return parseUnixTime(parser.getText(), out);
            case VALUE_NUMBER_FLOAT:
                text[0] = abbreviate(parser.getText());
                return parseUnixTime(parser.getText(), out);
            case VALUE_STRING:
                text[0] = abbreviate(parser.getText().strip());
                return parseTimestampText(parser.getText(), out);
            default:
                return reject(RejectReason.INVALID_TIMESTAMP, "timestamp must be a number, is " + describe(token));
        }
    }

    private static CleaningResult.Rejected parseTimestampText(String text, long[] out) {
        String stripped = text.strip();
        if (stripped.indexOf('T') > 0 || stripped.indexOf('t') > 0) {
            return parseDateTime(stripped, out);
        }
        return parseUnixTime(stripped, out);
    }

    /** An ISO-8601 date-time with {@code Z} or an offset, e.g. {@code 2026-12-06T09:40:39.123+01:00}. */
    private static CleaningResult.Rejected parseDateTime(String text, long[] out) {
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return reject(RejectReason.INVALID_TIMESTAMP, "timestamp \"" + abbreviate(text)
                    + "\" is neither unix seconds nor an ISO-8601 date-time with Z or an offset");
        }
        long seconds = time.toEpochSecond();
        if (seconds < 0) {
            return reject(RejectReason.INVALID_TIMESTAMP, "timestamp " + abbreviate(text) + " is before 1970");
        }
        out[0] = seconds;
        return null;
    }

    /**
     * Unix seconds or milliseconds as decimal text (a JSON number's or a numeric string's), floored to whole seconds.
     * Bounded work whatever the exponent: the magnitude is judged from the digit count before any arithmetic. A value
     * of more than 18 integer digits becomes {@link #BEYOND_ANY_DATE}, judged out of range with the other times in
     * {@link #build}, after the user id.
     */
    private static CleaningResult.Rejected parseUnixTime(String digits, long[] out) {
        boolean negative = digits.startsWith("-");
        String magnitude = negative ? digits.substring(1) : digits;
        if (!negative && isShortDigits(magnitude)) { // the common case: whole seconds or milliseconds as text
            long whole = Long.parseLong(magnitude);
            out[0] = whole >= MILLIS_THRESHOLD ? whole / 1000 : whole;
            return null;
        }
        if (!DECIMAL.matcher(magnitude).matches()) {
            return reject(RejectReason.INVALID_TIMESTAMP, "timestamp \"" + abbreviate(digits)
                    + "\" is neither unix seconds nor an ISO-8601 date-time with Z or an offset");
        }
        int exponentAt = Math.max(magnitude.indexOf('e'), magnitude.indexOf('E'));
        if (isZero(exponentAt < 0 ? magnitude : magnitude.substring(0, exponentAt))) {
            out[0] = 0; // zero, whatever its sign and exponent (0e400 is the epoch)
            return null;
        }
        if (negative) {
            return reject(RejectReason.INVALID_TIMESTAMP, "timestamp " + abbreviate(digits) + " is negative");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(magnitude);
        } catch (NumberFormatException e) { // an exponent beyond an int: far below one second, or beyond any date
            out[0] = magnitude.charAt(exponentAt + 1) == '-' ? 0 : BEYOND_ANY_DATE;
            return null;
        }
        long integerDigits = (long) value.precision() - value.scale(); // a long: the scale may be -2^31
        if (integerDigits > 18) {
            out[0] = BEYOND_ANY_DATE;
            return null;
        }
        long whole = integerDigits <= 0 ? 0 : value.setScale(0, RoundingMode.FLOOR).longValueExact();
        out[0] = whole >= MILLIS_THRESHOLD ? whole / 1000 : whole;
        return null;
    }

    /** Digits and a decimal point, no digit other than 0. */
    private static boolean isZero(String mantissa) {
        for (int i = 0; i < mantissa.length(); i++) {
            char c = mantissa.charAt(i);
            if (c != '0' && c != '.') {
                return false;
            }
        }
        return true;
    }

    /** 1 to 18 ASCII digits: fits a long. */
    private static boolean isShortDigits(String text) {
        if (text.isEmpty() || text.length() > 18) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean hasTrailingContent(JsonParser parser) {
        try {
            return parser.nextToken() != null;
        } catch (IOException e) {
            return true; // something that is not even JSON follows the object
        }
    }

    private static int fieldIndex(String name) {
        for (int i = 0; i < FIELD_NAMES.length; i++) {
            if (FIELD_NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "absent";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unparseable";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static CleaningResult.Rejected reject(RejectReason reason, String detail) {
        return new CleaningResult.Rejected(reason, detail);
    }
}
