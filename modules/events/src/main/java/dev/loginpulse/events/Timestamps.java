package dev.loginpulse.events;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The {@code timestamp} field of a raw record read as epoch seconds, or the rejection if it is not a time. Whether the
 * time is in range is {@link LoginCleaner}'s judgement.
 */
final class Timestamps {

    /** Epoch seconds standing for a timestamp of more than 18 digits: after the year 9999, or beyond a long. */
    private static final long BEYOND_ANY_DATE = Long.MAX_VALUE;

    /** Unix seconds or milliseconds as decimal text: digits, an optional fraction, an optional exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private Timestamps() {
    }

    /**
     * Reads the {@code timestamp} value into {@code out[0]} as epoch seconds (floored), and its text into
     * {@code text[0]}; returns the rejection if it is not a time. Numbers and numeric strings are unix seconds, or
     * milliseconds at or above {@link LoginCleaner#MILLIS_THRESHOLD}, fractions floored; strings with a {@code T} are
     * ISO-8601 date-times with {@code Z} or an offset.
     */
    static CleaningResult.Rejected readTimestamp(JsonParser parser, JsonToken token, long[] out, String[] text)
            throws IOException {
        switch (token) {
            case VALUE_NULL:
                return null;
            case VALUE_NUMBER_INT:
                text[0] = Rejections.abbreviate(parser.getText());
                if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    // the common case, without text parsing: a whole number of seconds or milliseconds
                    long value = parser.getLongValue();
                    if (value < 0) {
                        return Rejections.reject(RejectReason.INVALID_TIMESTAMP,
                                "timestamp " + text[0] + " is negative");
                    }
                    out[0] = value >= LoginCleaner.MILLIS_THRESHOLD ? value / 1000 : value;
                    return null;
                }
                return parseUnixTime(parser.getText(), out);
            case VALUE_NUMBER_FLOAT:
                text[0] = Rejections.abbreviate(parser.getText());
                return parseUnixTime(parser.getText(), out);
            case VALUE_STRING:
                text[0] = Rejections.abbreviate(parser.getText().strip());
                return parseTimestampText(parser.getText(), out);
            default:
                return Rejections.reject(RejectReason.INVALID_TIMESTAMP,
                        "timestamp must be a number, is " + Rejections.describe(token));
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
            return Rejections.reject(RejectReason.INVALID_TIMESTAMP, "timestamp \"" + Rejections.abbreviate(text)
                    + "\" is neither unix seconds nor an ISO-8601 date-time with Z or an offset");
        }
        long seconds = time.toEpochSecond();
        if (seconds < 0) {
            return Rejections.reject(RejectReason.INVALID_TIMESTAMP,
                    "timestamp " + Rejections.abbreviate(text) + " is before 1970");
        }
        out[0] = seconds;
        return null;
    }

    /**
     * Unix seconds or milliseconds as decimal text (a JSON number's or a numeric string's), floored to whole seconds.
     * Bounded work whatever the exponent: the magnitude is judged from the digit count before any arithmetic. A value
     * of more than 18 integer digits becomes {@link #BEYOND_ANY_DATE}, judged out of range by {@link LoginCleaner}
     * with the other times, after the user id.
     */
    private static CleaningResult.Rejected parseUnixTime(String digits, long[] out) {
        boolean negative = digits.startsWith("-");
        String magnitude = negative ? digits.substring(1) : digits;
        if (!negative && isShortDigits(magnitude)) { // the common case: whole seconds or milliseconds as text
            long whole = Long.parseLong(magnitude);
            out[0] = whole >= LoginCleaner.MILLIS_THRESHOLD ? whole / 1000 : whole;
            return null;
        }
        if (!DECIMAL.matcher(magnitude).matches()) {
            return Rejections.reject(RejectReason.INVALID_TIMESTAMP, "timestamp \"" + Rejections.abbreviate(digits)
                    + "\" is neither unix seconds nor an ISO-8601 date-time with Z or an offset");
        }
        int exponentAt = Math.max(magnitude.indexOf('e'), magnitude.indexOf('E'));
        if (isZero(exponentAt < 0 ? magnitude : magnitude.substring(0, exponentAt))) {
            out[0] = 0; // zero, whatever its sign and exponent (0e400 is the epoch)
            return null;
        }
        if (negative) {
            return Rejections.reject(RejectReason.INVALID_TIMESTAMP,
                    "timestamp " + Rejections.abbreviate(digits) + " is negative");
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
        out[0] = whole >= LoginCleaner.MILLIS_THRESHOLD ? whole / 1000 : whole;
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
}
