package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.loginpulse.e2e.HostileOracle.Outcome;
import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.RejectReason;

import static dev.loginpulse.e2e.HostileOracle.Outcome.clean;
import static dev.loginpulse.e2e.HostileOracle.Outcome.rejected;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The oracle of {@link HostileInputIT} against a table of cases whose outcomes were written by hand from
 * {@code docs/contracts.md}: each row must come out the same from the oracle and from {@link LoginCleaner}. Then the
 * whole seeded hostile corpus through both: they must agree on every value.
 */
class HostileOracleTest {

    /** The fixed "now" of both: 2026-11-21T12:00:00Z. */
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final long NOW_SECONDS = NOW.getEpochSecond();
    private static final int MIB = 1024 * 1024;

    private final HostileOracle oracle = new HostileOracle(NOW);
    private final LoginCleaner cleaner = new LoginCleaner(LoginCleaner.DEFAULT_MAX_RECORD_BYTES,
            LoginCleaner.DEFAULT_MAX_FUTURE_SKEW, Clock.fixed(NOW, ZoneOffset.UTC));

    /** JSON with {@code '} for {@code "}, to keep the rows readable. */
    private static String q(String json) {
        return json.replace('\'', '"');
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A login of user {@code u1} in Rhode Island with this raw timestamp. */
    private static String at(String timestamp) {
        return q("{'user_id':'u1','locale':'RI','timestamp':") + timestamp + "}";
    }

    /** A valid login with this raw locale value. */
    private static String in(String locale) {
        return q("{'user_id':'u1','timestamp':1694479551,'locale':") + locale + "}";
    }

    /** A valid login (Rhode Island) with one more member, raw. */
    private static String plus(String member) {
        return q("{'user_id':'u1','locale':'RI','timestamp':1694479551,") + member + "}";
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(part -> part.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A valid login padded in an unknown field to exactly {@code size} bytes. */
    private static byte[] loginOfSize(int size) {
        String empty = plus(q("'padding':''"));
        return utf8(plus(q("'padding':'") + "p".repeat(size - utf8(empty).length) + "\""));
    }

    private static Arguments row(String scenario, String raw, Outcome expected) {
        return Arguments.of(scenario, utf8(raw), expected);
    }

    private static Arguments row(String scenario, byte[] raw, Outcome expected) {
        return Arguments.of(scenario, raw, expected);
    }

    /** The table: scenario, raw value, outcome by the contract (written by hand, not computed). */
    static Stream<Arguments> contractCases() {
        String login = q("{'user_id':'u1','locale':'RI','timestamp':1694479551}");
        return Stream.of(
                // whole records
                row("contract example, timestamp as a numeric string", """
                        {"user_id": "424cdd21", "app_version": "2.3.0", "device_type": "android", "ip": "199.172.111.135",
                         "locale": "RI", "device_id": "593-47-5928", "timestamp": "1694479551"}""", clean("RI")),
                row("tombstone (no value)", (byte[]) null, rejected("NOT_JSON")),
                row("empty value", new byte[0], rejected("NOT_JSON")),
                row("only whitespace", " \r\n\t", rejected("NOT_JSON")),
                row("garbage", "not json", rejected("NOT_JSON")),
                row("exactly 1 MiB, padded in an unknown field", loginOfSize(MIB), clean("RI")),
                row("1 MiB and one byte", loginOfSize(MIB + 1), rejected("TOO_LARGE")),
                row("1 MiB and one byte of invalid UTF-8 is too large, not parsed", filled(MIB + 1, 0xFF),
                        rejected("TOO_LARGE")),
                // encoding
                row("byte 0xFF in user_id", concat(utf8(q("{'user_id':'u")), bytes(0xFF), utf8(q("1','timestamp':1}"))),
                        rejected("NOT_JSON")),
                row("overlong encoding of NUL (C0 80) in ip", concat(utf8(q("{'user_id':'u1','timestamp':1,'ip':'")),
                        bytes(0xC0, 0x80), utf8(q("'}"))), rejected("NOT_JSON")),
                row("encoded surrogate (ED A0 80) in an unknown field",
                        concat(utf8(q("{'user_id':'u1','timestamp':1,'x':'")), bytes(0xED, 0xA0, 0x80), utf8(q("'}"))),
                        rejected("NOT_JSON")),
                row("code point beyond U+10FFFF (F4 90 80 80)", concat(utf8(q("{'user_id':'u1','timestamp':1,'x':'")),
                        bytes(0xF4, 0x90, 0x80, 0x80), utf8(q("'}"))), rejected("NOT_JSON")),
                row("UTF-16LE encoded login", login.getBytes(StandardCharsets.UTF_16LE), rejected("NOT_JSON")),
                row("leading UTF-8 byte order mark", concat(bytes(0xEF, 0xBB, 0xBF), utf8(login)), clean("RI")),
                row("multi-byte UTF-8 user id", q("{'user_id':'é€😀','locale':'RI','timestamp':1694479551}"),
                        clean("RI")),
                // not JSON
                row("truncated login", login.substring(0, login.length() - 1), rejected("NOT_JSON")),
                row("truncated after a boolean timestamp", q("{'user_id':'u1','timestamp':true"),
                        rejected("NOT_JSON")),
                row("truncated after a second user_id", q("{'user_id':'a','user_id':'b'"), rejected("NOT_JSON")),
                row("truncated after a device_type of 600 chars",
                        q("{'user_id':'u1','device_type':'") + "x".repeat(600) + "\",", rejected("NOT_JSON")),
                row("raw NUL inside a string", q("{'user_id':'\u0000u1','timestamp':1694479551}"),
                        rejected("NOT_JSON")),
                row("single quotes", "{'user_id':'u1','timestamp':1694479551}", rejected("NOT_JSON")),
                row("trailing comma in the object", q("{'user_id':'u1','timestamp':1694479551,}"),
                        rejected("NOT_JSON")),
                row("number with a leading zero", plus(q("'x':01")), rejected("NOT_JSON")),
                row("64 levels of nesting, the login being the first",
                        plus(q("'x':") + "[".repeat(63) + "]".repeat(63)), clean("RI")),
                row("65 levels of nesting", plus(q("'x':") + "[".repeat(64) + "]".repeat(64)), rejected("NOT_JSON")),
                row("100,000 unclosed brackets", "[".repeat(100_000), rejected("NOT_JSON")),
                row("number literal of 1,000 characters", plus(q("'x':") + "7".repeat(1000)), clean("RI")),
                row("number literal of 1,001 characters", plus(q("'x':") + "7".repeat(1001)), rejected("NOT_JSON")),
                // not an object
                row("array", "[1]", rejected("NOT_AN_OBJECT")),
                row("array holding a valid login", "[" + login + "]", rejected("NOT_AN_OBJECT")),
                row("string", "\"x\"", rejected("NOT_AN_OBJECT")),
                row("number", "5", rejected("NOT_AN_OBJECT")),
                row("null", "null", rejected("NOT_AN_OBJECT")),
                row("boolean between spaces", " true ", rejected("NOT_AN_OBJECT")),
                row("unterminated string", "\"x", rejected("NOT_JSON")),
                row("two arrays", "[1] [2]", rejected("NOT_JSON")),
                // trailing content
                row("a second object after the login", login + " " + q("{'x':1}"), rejected("TRAILING_CONTENT")),
                row("a word after the login", login + " trailing", rejected("TRAILING_CONTENT")),
                row("a closing brace after the login", login + "}", rejected("TRAILING_CONTENT")),
                row("whitespace after the login", login + " \r\n\t", clean("RI")),
                // fields
                row("user_id twice", q("{'user_id':'u1','user_id':'v1','timestamp':1694479551}"),
                        rejected("DUPLICATE_FIELD")),
                row("timestamp twice, the first null", q("{'user_id':'u1','timestamp':null,'timestamp':1694479551}"),
                        rejected("DUPLICATE_FIELD")),
                row("user_id twice, once written with an escape",
                        q("{'user_id':'u1','user\\u005fid':'v1','timestamp':1694479551}"), rejected("DUPLICATE_FIELD")),
                row("an unknown field twice", plus(q("'x':1,'x':2")), clean("RI")),
                row("field names are case-sensitive", q("{'User_Id':'u1','timestamp':1694479551}"),
                        rejected("MISSING_USER_ID")),
                row("user_id is an object", q("{'user_id':{'id':1},'timestamp':1694479551}"),
                        rejected("INVALID_FIELD_TYPE")),
                row("ip is an array", plus(q("'ip':['10.0.0.1']")), rejected("INVALID_FIELD_TYPE")),
                row("locale is a boolean", in("true"), rejected("INVALID_FIELD_TYPE")),
                row("user_id is a number, taken as its text", q("{'user_id':42,'locale':'RI','timestamp':1694479551}"),
                        clean("RI")),
                row("device_type of 513 chars", plus(q("'device_type':'") + "x".repeat(513) + "\""),
                        rejected("FIELD_TOO_LONG")),
                row("ip of exactly 512 chars", plus(q("'ip':'") + "1".repeat(512) + "\""), clean("RI")),
                row("user_id of 4,000 chars", q("{'user_id':'") + "u".repeat(4000) + q("','timestamp':1694479551}"),
                        rejected("FIELD_TOO_LONG")),
                row("the first problem in the record wins: an array ip before a second user_id",
                        q("{'user_id':'a','ip':[],'user_id':'b','timestamp':1694479551}"),
                        rejected("INVALID_FIELD_TYPE")),
                row("a field problem comes before trailing content",
                        q("{'user_id':{},'timestamp':1694479551} x"), rejected("INVALID_FIELD_TYPE")),
                row("trailing content comes before a missing user_id", q("{'timestamp':1694479551} x"),
                        rejected("TRAILING_CONTENT")),
                row("missing user_id", q("{'locale':'RI','timestamp':1694479551}"), rejected("MISSING_USER_ID")),
                row("null user_id", q("{'user_id':null,'timestamp':1694479551}"), rejected("MISSING_USER_ID")),
                row("user_id of a space and a tab", q("{'user_id':' \\t ','timestamp':1694479551}"),
                        rejected("MISSING_USER_ID")),
                row("user_id of a no-break and an ideographic space",
                        q("{'user_id':'\u00A0\u3000','timestamp':1694479551}"), rejected("MISSING_USER_ID")),
                row("escaped NUL before the user id is kept",
                        q("{'user_id':'\\u0000u1','locale':'RI','timestamp':1694479551}"), clean("RI")),
                row("missing timestamp", q("{'user_id':'u1','locale':'RI'}"), rejected("MISSING_TIMESTAMP")),
                row("null timestamp", at("null"), rejected("MISSING_TIMESTAMP")),
                row("empty object", "{}", rejected("MISSING_USER_ID")),
                // timestamps
                row("unix seconds", at("1694479551"), clean("RI")),
                row("numeric string with spaces around it", at("\" 1694479551 \""), clean("RI")),
                row("zero-padded numeric string", at("\"0000000001694479551\""), clean("RI")),
                row("milliseconds", at("1694479551999"), clean("RI")),
                row("fractional seconds", at("1694479551.964"), clean("RI")),
                row("seconds with an exponent", at("1.694479551E9"), clean("RI")),
                row("numeric string with an exponent", at("\"1.694479551e9\""), clean("RI")),
                row("ISO-8601 with a fraction and an offset", at("\"2023-09-12T01:45:51.123+01:00\""), clean("RI")),
                row("ISO-8601 with Z", at("\"2023-09-12T00:45:51Z\""), clean("RI")),
                row("ISO-8601 on a leap day", at("\"2024-02-29T12:00:00Z\""), clean("RI")),
                row("ISO-8601 without an offset", at("\"2023-09-12T00:45:51\""), rejected("INVALID_TIMESTAMP")),
                row("ISO-8601 on a day that does not exist", at("\"2023-02-29T12:00:00Z\""),
                        rejected("INVALID_TIMESTAMP")),
                row("ISO-8601 before 1970", at("\"1969-12-31T23:59:59Z\""), rejected("INVALID_TIMESTAMP")),
                row("ISO-8601 of the epoch", at("\"1970-01-01T00:00:00Z\""), clean("RI")),
                row("zero", at("0"), clean("RI")),
                row("negative number", at("-1"), rejected("INVALID_TIMESTAMP")),
                row("negative numeric string", at("\"-5\""), rejected("INVALID_TIMESTAMP")),
                row("negative fraction", at("-0.5"), rejected("INVALID_TIMESTAMP")),
                row("text", at("\"abc\""), rejected("INVALID_TIMESTAMP")),
                row("empty string", at("\"\""), rejected("INVALID_TIMESTAMP")),
                row("number with a unit", at("\"1.5 s\""), rejected("INVALID_TIMESTAMP")),
                row("boolean", at("true"), rejected("INVALID_TIMESTAMP")),
                row("object", at("{}"), rejected("INVALID_TIMESTAMP")),
                row("array", at("[]"), rejected("INVALID_TIMESTAMP")),
                row("one and a half seconds, floored", at("1.5"), clean("RI")),
                row("a vanishing fraction", at("1e-999999999"), clean("RI")),
                row("zero with a huge exponent", at("0e400"), clean("RI")),
                row("an exponent below an int", at("1e-2147483648"), clean("RI")),
                row("253402300800 is milliseconds, in 1978", at("253402300800"), clean("RI")),
                row("largest long, milliseconds after the year 9999", at("9223372036854775807"),
                        rejected("TIMESTAMP_OUT_OF_RANGE")),
                row("beyond a long", at("9223372036854775808"), rejected("TIMESTAMP_OUT_OF_RANGE")),
                row("1e400", at("1e400"), rejected("TIMESTAMP_OUT_OF_RANGE")),
                row("the largest exponent of an int", at("1e2147483647"), rejected("TIMESTAMP_OUT_OF_RANGE")),
                row("an exponent beyond an int", at("1e2147483648"), rejected("TIMESTAMP_OUT_OF_RANGE")),
                row("the last second of 9999, far in the future", at("\"9999-12-31T23:59:59Z\""),
                        rejected("TIMESTAMP_OUT_OF_RANGE")),
                row("one hour ahead", at(Long.toString(NOW_SECONDS + 3600)), clean("RI")),
                row("one hour and a second ahead", at(Long.toString(NOW_SECONDS + 3601)),
                        rejected("TIMESTAMP_OUT_OF_RANGE")),
                row("one hour and a second ahead in milliseconds", at(Long.toString((NOW_SECONDS + 3601) * 1000)),
                        rejected("TIMESTAMP_OUT_OF_RANGE")),
                row("a blank user_id comes before an out-of-range timestamp",
                        q("{'user_id':'','timestamp':1e400}"), rejected("MISSING_USER_ID")),
                row("a blank user_id comes before 10^18 as a number", q("{'user_id':'','timestamp':1000000000000000000}"),
                        rejected("MISSING_USER_ID")),
                row("a blank user_id comes before 10^18 as a string",
                        q("{'user_id':'','timestamp':'1000000000000000000'}"), rejected("MISSING_USER_ID")),
                row("an invalid timestamp comes before a blank user_id", q("{'user_id':'','timestamp':'abc'}"),
                        rejected("INVALID_TIMESTAMP")),
                // locales
                row("padded lower-case locale", in("\" ny \""), clean("NY")),
                row("lower-case locale", in("\"ca\""), clean("CA")),
                row("lower-case DC", in("\"dc\""), clean("DC")),
                row("Puerto Rico", in("\"PR\""), clean("PR")),
                row("locale between a no-break and an ideographic space", in("\"\u00A0WA\u3000\""), clean("WA")),
                row("locale between an escaped tab and line feed", in("\"\\tTX\\n\""), clean("TX")),
                row("locale with a zero-width space", in("\"NY\u200B\""), clean("NY")),
                row("unknown code", in("\"ZZ\""), clean("UNK")),
                row("UNK itself", in("\"UNK\""), clean("UNK")),
                row("empty locale", in("\"\""), clean("UNK")),
                row("blank locale", in("\"  \""), clean("UNK")),
                row("null locale", in("null"), clean("UNK")),
                row("missing locale", q("{'user_id':'u1','timestamp':1694479551}"), clean("UNK")),
                row("dotless i does not upper-case to IL", in("\"\u0131l\""), clean("UNK")),
                row("small capitals are not letters of a code", in("\"\u0280\u026A\""), clean("UNK")),
                row("escaped NUL inside a code", in("\"R\\u0000I\""), clean("UNK")),
                row("space inside a code", in("\"R I\""), clean("UNK")),
                row("markup", in("\"<script>alert(1)</script>\""), clean("UNK")),
                row("a lookup string", in("\"${jndi:ldap://x}\""), clean("UNK")),
                row("a number as locale", in("42"), clean("UNK")));
    }

    private static byte[] filled(int size, int value) {
        byte[] out = new byte[size];
        Arrays.fill(out, (byte) value);
        return out;
    }

    /**
     * Where {@link LoginCleaner} is known to give another outcome than the contract (or than the oracle's reading of
     * a detail the contract leaves open): scenario, raw value, outcome by the contract, outcome of the cleaner. Pinned
     * so that a change on either side is noticed; none of these is in the hostile corpus.
     */
    static Stream<Arguments> knownDifferences() {
        return Stream.of(
                Arguments.of("contract: a number literal of 1,001 characters (a minus and 1,000 digits) is not JSON;"
                        + " Jackson counts only the digits", utf8(plus(q("'x':-") + "7".repeat(1000))),
                        rejected("NOT_JSON"), clean("RI")),
                Arguments.of("contract: a member name of 50,001 chars is JSON; Jackson refuses names over 50,000",
                        utf8(plus("\"" + "k".repeat(50_001) + "\":1")), clean("RI"), rejected("NOT_JSON")),
                Arguments.of("contract: an offset with seconds is not ISO-8601; java.time reads it",
                        utf8(at("\"2023-09-12T01:45:51+01:00:00\"")), rejected("INVALID_TIMESTAMP"), clean("RI")),
                Arguments.of("contract: ISO-8601 allows ten fraction digits; java.time reads nine",
                        utf8(at("\"2023-09-12T00:45:51.1234567890Z\"")), clean("RI"), rejected("INVALID_TIMESTAMP")),
                Arguments.of("open: a five-digit year (the oracle reads four-digit years only)",
                        utf8(at("\"+10000-01-01T00:00:00Z\"")), rejected("INVALID_TIMESTAMP"),
                        rejected("TIMESTAMP_OUT_OF_RANGE")),
                Arguments.of("open: an offset of +19:00 (ISO-8601 sets no bound, java.time stops at 18 h)",
                        utf8(at("\"2023-09-12T19:45:51+19:00\"")), clean("RI"), rejected("INVALID_TIMESTAMP")),
                Arguments.of("open: a no-break space around a numeric string (the oracle's one notion of whitespace)",
                        utf8(at("\"\u00A01694479551\"")), clean("RI"), rejected("INVALID_TIMESTAMP")));
    }

    private Outcome cleanerOutcome(byte[] raw) {
        CleaningResult result = cleaner.clean(raw);
        if (result instanceof CleaningResult.Cleaned cleaned) {
            return clean(cleaned.login().locale());
        }
        return rejected(((CleaningResult.Rejected) result).reason().name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractCases")
    void oracleGivesTheOutcomeWrittenFromTheContract(String scenario, byte[] raw, Outcome expected) {
        assertThat(oracle.outcome(raw)).as(scenario).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contractCases")
    void loginCleanerGivesTheOutcomeWrittenFromTheContract(String scenario, byte[] raw, Outcome expected) {
        assertThat(cleanerOutcome(raw)).as(scenario).isEqualTo(expected);
    }

    @Test
    void tableHasEveryRejectReasonAndCleanRecords() {
        List<Outcome> outcomes = contractCases().map(arguments -> (Outcome) arguments.get()[2]).toList();
        Set<RejectReason> reasons = outcomes.stream().filter(outcome -> !outcome.isClean())
                .map(outcome -> RejectReason.valueOf(outcome.reason()))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(RejectReason.class)));

        assertThat(reasons).containsExactlyInAnyOrder(RejectReason.values());
        assertThat(outcomes).filteredOn(Outcome::isClean).extracting(Outcome::locale)
                .contains("RI", "NY", "CA", "DC", "PR", "WA", "TX", "UNK");
        assertThat(outcomes).hasSizeGreaterThanOrEqualTo(100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownDifferences")
    void oracleFollowsTheContractWhereLoginCleanerIsKnownToDiffer(String scenario, byte[] raw, Outcome contract,
            Outcome cleanerToday) {
        assertThat(oracle.outcome(raw)).as("oracle").isEqualTo(contract);
        assertThat(cleanerOutcome(raw)).as("LoginCleaner").isEqualTo(cleanerToday);
    }

    @Test
    void oracleLimitsAreTheContractsNumbers() {
        assertThat(HostileOracle.LAST_SECOND).isEqualTo(Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
        assertThat(HostileOracle.MAX_RECORD_BYTES).isEqualTo(MIB);
        assertThat(HostileOracle.STATE_CODES).hasSize(52).contains("DC", "PR").doesNotContain("UNK");
    }

    @Test
    void oracleAndLoginCleanerAgreeOnEveryValueOfTheSeededHostileCorpus() {
        List<byte[]> corpus = new HostileCorpus(HostileInputIT.SEED).generate(HostileInputIT.CORPUS_SIZE);
        HostileOracle now = new HostileOracle(Instant.now());
        LoginCleaner defaults = LoginCleaner.withDefaults();
        List<String> disagreements = new ArrayList<>();
        int clean = 0;
        for (int i = 0; i < corpus.size(); i++) {
            byte[] value = corpus.get(i);
            Outcome expected = now.outcome(value);
            CleaningResult result = defaults.clean(value);
            Outcome actual = result instanceof CleaningResult.Cleaned cleaned ? clean(cleaned.login().locale())
                    : rejected(((CleaningResult.Rejected) result).reason().name());
            if (!expected.equals(actual)) {
                disagreements.add("#" + i + " " + printable(value) + ": oracle " + expected + ", LoginCleaner " + actual);
            }
            clean += expected.isClean() ? 1 : 0;
        }

        assertThat(corpus).hasSize(HostileInputIT.CORPUS_SIZE);
        assertThat(disagreements).as("%d disagreements, the first: %s", disagreements.size(),
                disagreements.stream().limit(20).collect(Collectors.joining("\n", "\n", ""))).isEmpty();
        assertThat(clean).as("clean values").isBetween(1, HostileInputIT.CORPUS_SIZE - 1);
    }

    /** The value as text, control and non-ASCII characters escaped, abbreviated. */
    static String printable(byte[] value) {
        if (value == null) {
            return "null";
        }
        String text = new String(value, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder("(" + value.length + " bytes) ");
        for (int i = 0; i < text.length() && out.length() < 300; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return text.length() > 300 ? out + "..." : out.toString();
    }
}
