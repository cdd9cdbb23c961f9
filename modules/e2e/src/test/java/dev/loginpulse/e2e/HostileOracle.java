package dev.loginpulse.e2e;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A second implementation of the cleaning contract, written from {@code docs/contracts.md} alone, so that the
 * expectations of {@link HostileInputIT} do not come from the code under test. It shares nothing with
 * {@code LoginCleaner}: its own strict UTF-8 decoder, its own recursive-descent JSON reader (where the cleaner streams
 * Jackson tokens), its own decimal arithmetic, its own ISO-8601 reader and calendar, the state codes written out. The
 * limits of the contract are literals here, each citing its line.
 *
 * <p>
 * It answers only what the corpus test needs: for a raw value, the locale the clean record is keyed and counted by, or
 * the name of the dead-letter reason.
 *
 * <p>
 * The contract lists the reasons but not which one a record with several problems gets. This oracle decides in this
 * order (also written into {@code docs/contracts.md}):
 * <ol>
 * <li>{@code NOT_JSON} for a tombstone or an empty value, then {@code TOO_LARGE} (not parsed);</li>
 * <li>{@code NOT_JSON} unless the value is strict UTF-8 holding one complete JSON value within the limits (nesting,
 * number length); after an object, other content is {@code TRAILING_CONTENT} (step 4), after any other value it is
 * not JSON;</li>
 * <li>{@code NOT_AN_OBJECT};</li>
 * <li>the seven fields in the order they appear in the record, the first problem wins: {@code DUPLICATE_FIELD},
 * {@code INVALID_FIELD_TYPE}, {@code FIELD_TOO_LONG}, {@code INVALID_TIMESTAMP} (the timestamp's form: not a number
 * or date-time, negative, before 1970); then {@code TRAILING_CONTENT};</li>
 * <li>{@code MISSING_USER_ID}, {@code MISSING_TIMESTAMP}, and last {@code TIMESTAMP_OUT_OF_RANGE} (after 9999, beyond
 * a 64-bit integer, or more than the skew ahead): whether a time is acceptable is judged once, however the number was
 * written.</li>
 * </ol>
 *
 * <p>
 * Where the contract leaves a detail open, this oracle chooses: one notion of whitespace throughout (the Unicode
 * {@code White_Space} characters, the information separators U+001C to U+001F, and the zero-width U+180E, U+200B to
 * U+200D, U+2060, U+FEFF), for trimming locales, blank user ids and the timestamp's surrounding whitespace; a field's
 * length in UTF-16 chars, as Java counts a string; the 512-char limit for the six text fields only (the timestamp has
 * its own rules); a numeric string is {@code -?digits(.digits)?([eE][+-]?digits)?}, leading zeros allowed; an ISO-8601
 * date-time is the extended calendar form {@code YYYY-MM-DDThh:mm[:ss[.fraction]]} with {@code Z} or {@code ±hh[:mm]}
 * ({@code t} and {@code z} in lower case too), four-digit years, no leap second, no {@code 24:00}.
 */
final class HostileOracle {

    /** contracts.md, `pulse.cleaner.max-record-bytes`: 1048576; a larger record is TOO_LARGE and not parsed. */
    static final int MAX_RECORD_BYTES = 1_048_576;
    /** contracts.md, `pulse.cleaner.max-future-skew`: PT1H. */
    static final long MAX_FUTURE_SKEW_SECONDS = 3_600;
    /** contracts.md, NOT_JSON: "nesting deeper than 64 levels"; the record itself is the first level. */
    static final int MAX_NESTING = 64;
    /** contracts.md, NOT_JSON: "a number literal longer than 1,000 characters". */
    static final int MAX_NUMBER_CHARS = 1_000;
    /** contracts.md, FIELD_TOO_LONG: "a field's text is longer than 512 characters". */
    static final int MAX_FIELD_CHARS = 512;
    /** contracts.md, timestamp: "A value ≥ 10^11 is milliseconds". */
    static final long MILLISECONDS_FROM = 100_000_000_000L;
    /** contracts.md, timestamp: "after 9999-12-31T23:59:59Z" is out of range; this is that second. */
    static final long LAST_SECOND = 253_402_300_799L;
    /** contracts.md, locale: what a locale that is not a code becomes. */
    static final String UNKNOWN_LOCALE = "UNK";
    /** contracts.md, locale: "one of the 50 states, `DC`, `PR`". */
    static final Set<String> STATE_CODES = Set.of(
            "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA",
            "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
            "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
            "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
            "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
            "DC", "PR");

    private static final List<String> FIELDS = List.of("user_id", "app_version", "device_type", "ip", "locale",
            "device_id", "timestamp");
    private static final int USER_ID = FIELDS.indexOf("user_id");
    private static final int LOCALE = FIELDS.indexOf("locale");
    private static final int TIMESTAMP = FIELDS.indexOf("timestamp");

    /** A numeric timestamp: sign, integer digits, fraction digits, exponent. */
    private static final Pattern NUMERIC = Pattern.compile("(-?)([0-9]+)(?:\\.([0-9]+))?(?:[eE]([+-]?)([0-9]+))?");
    /** ISO-8601 extended calendar date-time with Z or an offset. */
    private static final Pattern DATE_TIME = Pattern.compile("([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})"
            + "(?::([0-9]{2})(?:\\.[0-9]+)?)?(?:[Zz]|([+-])([0-9]{2})(?::([0-9]{2}))?)");

    /** A timestamp that is not a time at all: INVALID_TIMESTAMP. */
    private static final long NOT_A_TIME = Long.MIN_VALUE;
    /** A timestamp larger than a 64-bit integer. */
    private static final long BEYOND_A_LONG = Long.MAX_VALUE;

    private final long now;

    /** @param now the cleaner's clock, for the future skew */
    HostileOracle(Instant now) {
        this.now = now.getEpochSecond();
    }

    /** The clean record's locale, or the reason for the dead letter. */
    record Outcome(String locale, String reason) {

        static Outcome clean(String locale) {
            return new Outcome(locale, null);
        }

        static Outcome rejected(String reason) {
            return new Outcome(null, reason);
        }

        boolean isClean() {
            return locale != null;
        }

        @Override
        public String toString() {
            return isClean() ? "clean " + locale : reason;
        }
    }

    /** What the contract says becomes of this raw value; {@code null} is a tombstone. */
    Outcome outcome(byte[] value) {
        if (value == null || value.length == 0) {
            return Outcome.rejected("NOT_JSON"); // "empty"
        }
        if (value.length > MAX_RECORD_BYTES) {
            return Outcome.rejected("TOO_LARGE");
        }
        String text = strictUtf8(value);
        if (text == null) {
            return Outcome.rejected("NOT_JSON");
        }
        JsonReader json = new JsonReader(text);
        json.skipWhitespace();
        if (json.atEnd()) {
            return Outcome.rejected("NOT_JSON"); // "empty or only whitespace"
        }
        List<Member> members;
        try {
            if (!json.next('{')) {
                json.value(1);
                json.skipWhitespace();
                return Outcome.rejected(json.atEnd() ? "NOT_AN_OBJECT" : "NOT_JSON");
            }
            members = json.object(1);
        } catch (NotJson e) {
            return Outcome.rejected("NOT_JSON");
        }
        json.skipWhitespace();
        return fields(members, !json.atEnd());
    }

    private Outcome fields(List<Member> members, boolean trailingContent) {
        String[] texts = new String[FIELDS.size()];
        boolean[] seen = new boolean[FIELDS.size()];
        Long seconds = null;
        for (Member member : members) {
            int field = FIELDS.indexOf(member.name());
            if (field < 0) {
                continue; // "other fields: dropped"
            }
            if (seen[field]) {
                return Outcome.rejected("DUPLICATE_FIELD");
            }
            seen[field] = true;
            Value value = member.value();
            if (field == TIMESTAMP) {
                switch (value.kind()) {
                    case NULL -> seconds = null;
                    case NUMBER -> seconds = numericSeconds(value.text());
                    case STRING -> seconds = textSeconds(value.text());
                    default -> seconds = NOT_A_TIME; // "boolean, object"
                }
                if (seconds != null && seconds == NOT_A_TIME) {
                    return Outcome.rejected("INVALID_TIMESTAMP");
                }
                continue;
            }
            switch (value.kind()) {
                case NULL -> texts[field] = null;
                case STRING, NUMBER -> {
                    if (value.text().length() > MAX_FIELD_CHARS) {
                        return Outcome.rejected("FIELD_TOO_LONG");
                    }
                    texts[field] = value.text(); // "numbers are taken as their text"
                }
                default -> {
                    return Outcome.rejected("INVALID_FIELD_TYPE");
                }
            }
        }
        if (trailingContent) {
            return Outcome.rejected("TRAILING_CONTENT");
        }
        if (texts[USER_ID] == null || trim(texts[USER_ID]).isEmpty()) {
            return Outcome.rejected("MISSING_USER_ID");
        }
        if (seconds == null) {
            return Outcome.rejected("MISSING_TIMESTAMP");
        }
        if (seconds == BEYOND_A_LONG || seconds > LAST_SECOND || seconds > now + MAX_FUTURE_SKEW_SECONDS) {
            return Outcome.rejected("TIMESTAMP_OUT_OF_RANGE");
        }
        return Outcome.clean(locale(texts[LOCALE]));
    }

    /** "trimmed (Unicode whitespace too) and upper-cased; only two ASCII letters can be a code". */
    private static String locale(String text) {
        if (text == null) {
            return UNKNOWN_LOCALE;
        }
        String code = trim(text);
        if (code.length() != 2 || !isAsciiLetter(code.charAt(0)) || !isAsciiLetter(code.charAt(1))) {
            return UNKNOWN_LOCALE;
        }
        String upper = "" + asciiUpper(code.charAt(0)) + asciiUpper(code.charAt(1));
        return STATE_CODES.contains(upper) ? upper : UNKNOWN_LOCALE;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static char asciiUpper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // timestamps

    /** A timestamp string: surrounding whitespace allowed; a numeric text or an ISO-8601 date-time. */
    private static long textSeconds(String text) {
        String trimmed = trim(text);
        if (NUMERIC.matcher(trimmed).matches()) {
            return numericSeconds(trimmed);
        }
        return dateTimeSeconds(trimmed);
    }

    /**
     * Unix seconds, or milliseconds from 10^11 on, floored to the second: a JSON number literal or a numeric string.
     * Worked out on the digits, so that no exponent expands into a huge number.
     */
    private static long numericSeconds(String text) {
        Matcher number = NUMERIC.matcher(text);
        if (!number.matches()) {
            return NOT_A_TIME;
        }
        boolean negative = !number.group(1).isEmpty();
        String fraction = number.group(3) == null ? "" : number.group(3);
        String digits = withoutLeadingZeros(number.group(2) + fraction); // value = digits * 10^(exponent - |fraction|)
        if (digits.isEmpty()) {
            return 0; // zero, whatever its sign and exponent
        }
        if (negative) {
            return NOT_A_TIME; // "negative"
        }
        long exponent;
        String exponentDigits = number.group(5) == null ? "0" : withoutLeadingZeros(number.group(5));
        if (exponentDigits.length() > 12) { // beyond 10^12: no date either way
            return "-".equals(number.group(4)) ? 0 : BEYOND_A_LONG;
        }
        exponent = exponentDigits.isEmpty() ? 0 : Long.parseLong(exponentDigits);
        if ("-".equals(number.group(4))) {
            exponent = -exponent;
        }
        long integerDigits = digits.length() + exponent - fraction.length();
        if (integerDigits <= 0) {
            return 0; // below one second: floored to the epoch
        }
        if (integerDigits > 19) {
            return BEYOND_A_LONG; // at least 10^19
        }
        String whole = integerDigits <= digits.length() ? digits.substring(0, (int) integerDigits)
                : digits + "0".repeat((int) integerDigits - digits.length());
        BigInteger value = new BigInteger(whole);
        if (value.bitLength() > 63) {
            return BEYOND_A_LONG;
        }
        long units = value.longValue();
        return units >= MILLISECONDS_FROM ? units / 1000 : units;
    }

    private static String withoutLeadingZeros(String digits) {
        int start = 0;
        while (start < digits.length() && digits.charAt(start) == '0') {
            start++;
        }
        return digits.substring(start);
    }

    /** An ISO-8601 date-time with Z or an offset, in UTC seconds, the fraction floored; before 1970 is not a time. */
    private static long dateTimeSeconds(String text) {
        Matcher time = DATE_TIME.matcher(text);
        if (!time.matches()) {
            return NOT_A_TIME; // "a date-time without an offset, any other text"
        }
        int year = Integer.parseInt(time.group(1));
        int month = Integer.parseInt(time.group(2));
        int day = Integer.parseInt(time.group(3));
        int hour = Integer.parseInt(time.group(4));
        int minute = Integer.parseInt(time.group(5));
        int second = time.group(6) == null ? 0 : Integer.parseInt(time.group(6));
        if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59
                || second > 59) {
            return NOT_A_TIME;
        }
        long offset = 0;
        if (time.group(7) != null) {
            int offsetHours = Integer.parseInt(time.group(8));
            int offsetMinutes = time.group(9) == null ? 0 : Integer.parseInt(time.group(9));
            if (offsetHours > 23 || offsetMinutes > 59) {
                return NOT_A_TIME;
            }
            offset = (offsetHours * 3600L + offsetMinutes * 60L) * ("-".equals(time.group(7)) ? -1 : 1);
        }
        long seconds = daysSinceEpoch(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offset;
        return seconds < 0 ? NOT_A_TIME : seconds; // "before 1970"
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    private static long daysSinceEpoch(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yearOfEra = y - era * 400;
        long dayOfYear = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // whitespace

    /** Without leading and trailing {@link #isWhitespace(int) whitespace}. */
    static String trim(String text) {
        int[] codePoints = text.codePoints().toArray();
        int from = 0;
        int to = codePoints.length;
        while (from < to && isWhitespace(codePoints[from])) {
            from++;
        }
        while (to > from && isWhitespace(codePoints[to - 1])) {
            to--;
        }
        return new String(codePoints, from, to - from);
    }

    /**
     * Unicode's {@code White_Space} property (PropList.txt), the information separators U+001C to U+001F, and the
     * zero-width characters the contract names for device types ("zero-width spaces included").
     */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x0009 && cp <= 0x000D) || cp == 0x0020 || cp == 0x0085 || cp == 0x00A0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000
                || (cp >= 0x001C && cp <= 0x001F)
                || cp == 0x180E || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // strict UTF-8 (RFC 3629, table 3-7 of the Unicode standard)

    /** The decoded text without a leading byte order mark, or {@code null} if the bytes are not strict UTF-8. */
    static String strictUtf8(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length);
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            i = 3; // "a leading byte order mark is tolerated"
        }
        while (i < bytes.length) {
            int b0 = bytes[i] & 0xFF;
            int length;
            int low = 0x80;
            int high = 0xBF; // allowed range of the second byte
            if (b0 <= 0x7F) {
                out.append((char) b0);
                i++;
                continue;
            } else if (b0 >= 0xC2 && b0 <= 0xDF) {
                length = 2;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                length = 3;
                if (b0 == 0xE0) {
                    low = 0xA0; // no overlong forms
                } else if (b0 == 0xED) {
                    high = 0x9F; // no surrogates
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                length = 4;
                if (b0 == 0xF0) {
                    low = 0x90; // no overlong forms
                } else if (b0 == 0xF4) {
                    high = 0x8F; // nothing beyond U+10FFFF
                }
            } else {
                return null; // a continuation byte, an overlong lead (C0, C1) or F5 to FF
            }
            if (i + length > bytes.length) {
                return null; // truncated sequence
            }
            int cp = b0 & (0xFF >> (length + 1));
            for (int k = 1; k < length; k++) {
                int b = bytes[i + k] & 0xFF;
                if (k == 1 ? b < low || b > high : b < 0x80 || b > 0xBF) {
                    return null;
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            out.appendCodePoint(cp);
            i += length;
        }
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // JSON (RFC 8259), read by recursive descent; the recursion stops at the nesting limit

    private enum Kind {
        OBJECT,
        ARRAY,
        STRING,
        NUMBER,
        TRUE,
        FALSE,
        NULL
    }

    /** A JSON value; {@code text} is a string's decoded content or a number's literal, else {@code null}. */
    private record Value(Kind kind, String text) {
    }

    private record Member(String name, Value value) {
    }

    private static final class NotJson extends Exception {

        NotJson() {
            super(null, null, false, false);
        }
    }

    private static final class JsonReader {

        private final String text;
        private int at;

        JsonReader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at >= text.length();
        }

        /** JSON's insignificant whitespace: space, tab, line feed, carriage return. */
        void skipWhitespace() {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                at++;
            }
        }

        boolean next(char c) {
            return at < text.length() && text.charAt(at) == c;
        }

        private void expect(char c) throws NotJson {
            if (!next(c)) {
                throw new NotJson();
            }
            at++;
        }

        /** The value at this position, at nesting level {@code level} if it is an object or array. */
        Value value(int level) throws NotJson {
            if (atEnd()) {
                throw new NotJson();
            }
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> {
                    object(level);
                    yield new Value(Kind.OBJECT, null);
                }
                case '[' -> {
                    array(level);
                    yield new Value(Kind.ARRAY, null);
                }
                case '"' -> new Value(Kind.STRING, string());
                case 't' -> literal("true", Kind.TRUE);
                case 'f' -> literal("false", Kind.FALSE);
                case 'n' -> literal("null", Kind.NULL);
                default -> new Value(Kind.NUMBER, number());
            };
        }

        /** An object's members in order, duplicates included. */
        List<Member> object(int level) throws NotJson {
            if (level > MAX_NESTING) {
                throw new NotJson();
            }
            expect('{');
            List<Member> members = new ArrayList<>();
            skipWhitespace();
            if (next('}')) {
                at++;
                return members;
            }
            while (true) {
                skipWhitespace();
                if (!next('"')) {
                    throw new NotJson();
                }
                String name = string();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                members.add(new Member(name, value(level + 1)));
                skipWhitespace();
                if (next(',')) {
                    at++;
                } else {
                    expect('}');
                    return members;
                }
            }
        }

        private void array(int level) throws NotJson {
            if (level > MAX_NESTING) {
                throw new NotJson();
            }
            expect('[');
            skipWhitespace();
            if (next(']')) {
                at++;
                return;
            }
            while (true) {
                skipWhitespace();
                value(level + 1);
                skipWhitespace();
                if (next(',')) {
                    at++;
                } else {
                    expect(']');
                    return;
                }
            }
        }

        private Value literal(String word, Kind kind) throws NotJson {
            if (!text.startsWith(word, at)) {
                throw new NotJson();
            }
            at += word.length();
            return new Value(kind, null);
        }

        /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, at most 1,000 characters. */
        private String number() throws NotJson {
            int start = at;
            if (next('-')) {
                at++;
            }
            if (next('0')) {
                at++;
            } else if (digits() == 0) {
                throw new NotJson();
            }
            if (next('.')) {
                at++;
                if (digits() == 0) {
                    throw new NotJson();
                }
            }
            if (next('e') || next('E')) {
                at++;
                if (next('+') || next('-')) {
                    at++;
                }
                if (digits() == 0) {
                    throw new NotJson();
                }
            }
            if (at - start > MAX_NUMBER_CHARS) {
                throw new NotJson();
            }
            return text.substring(start, at);
        }

        private int digits() {
            int start = at;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                at++;
            }
            return at - start;
        }

        /** A string literal's decoded content; control characters must be escaped. */
        private String string() throws NotJson {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw new NotJson();
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c < 0x20) {
                    throw new NotJson();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw new NotJson();
                }
                char escape = text.charAt(at++);
                switch (escape) {
                    case '"', '\\', '/' -> out.append(escape);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> out.append(hex4());
                    default -> throw new NotJson();
                }
            }
        }

        private char hex4() throws NotJson {
            if (at + 4 > text.length()) {
                throw new NotJson();
            }
            int value = 0;
            for (int k = 0; k < 4; k++) {
                char c = text.charAt(at++);
                int digit = "0123456789abcdef".indexOf(c >= 'A' && c <= 'F' ? (char) (c - 'A' + 'a') : c);
                if (digit < 0) {
                    throw new NotJson(); // ASCII hex digits only
                }
                value = value * 16 + digit;
            }
            return (char) value;
        }
    }
}
