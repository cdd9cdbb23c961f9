package dev.loginpulse.events;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static dev.loginpulse.events.LoginCleanerTest.bytes;
import static dev.loginpulse.events.LoginCleanerTest.concat;
import static dev.loginpulse.events.LoginCleanerTest.str;
import static dev.loginpulse.events.LoginCleanerTest.utf8;
import static dev.loginpulse.events.LoginCleanerTest.validFields;
import static dev.loginpulse.events.LoginCleanerTest.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bugs once found in {@link LoginCleaner} by the property tests and a review, each pinned by the contract it broke:
 * lenient UTF-8 decoding, UTF-16/32 guessing, Jackson's surrogate field-name bug, the number-length limit, non-ASCII
 * locale upper-casing, U+0085, whitespace-only records, very negative and zero-padded timestamps, non-JSON trailing
 * content; and, found by the hostile corpus's independent oracle ({@code HostileOracle} in modules/e2e): records broken
 * after a rejected field, unclosed non-objects, exponents at the edge of an int, and a reason for huge timestamps that
 * depended on how the number was written.
 */
class LoginCleanerRegressionTest {

    private final LoginCleaner cleaner = new LoginCleaner(LoginCleaner.DEFAULT_MAX_RECORD_BYTES, LoginCleanerTest.SKEW,
            Clock.fixed(LoginCleanerTest.NOW, ZoneOffset.UTC));

    private static final byte[] BEFORE_IP = utf8("{\"user_id\":\"u\",\"timestamp\":1694479551,\"ip\":\"a");
    private static final byte[] BEFORE_UNKNOWN = utf8("{\"user_id\":\"u\",\"timestamp\":1694479551,\"extra\":\"a");
    private static final byte[] AFTER = utf8("b\"}");

    private void assertRejected(byte[] raw, RejectReason reason) {
        assertThat(cleaner.clean(raw)).isInstanceOfSatisfying(CleaningResult.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(reason));
    }

    private void assertRejected(String raw, RejectReason reason) {
        assertRejected(utf8(raw), reason);
    }

    private CleanLogin assertCleaned(String raw) {
        CleaningResult result = cleaner.clean(utf8(raw));
        assertThat(result).isInstanceOf(CleaningResult.Cleaned.class);
        return ((CleaningResult.Cleaned) result).login();
    }

    @Test
    void overlongUtf8InAKnownFieldIsNotJson() {
        assertRejected(concat(BEFORE_IP, bytes(0xC0, 0x80), AFTER), RejectReason.NOT_JSON);
        assertRejected(concat(BEFORE_IP, bytes(0xE0, 0x80, 0x80), AFTER), RejectReason.NOT_JSON);
    }

    @Test
    void codePointBeyondUnicodeInAKnownFieldIsNotJson() {
        assertRejected(concat(BEFORE_IP, bytes(0xF4, 0x90, 0x80, 0x80), AFTER), RejectReason.NOT_JSON);
        assertRejected(concat(BEFORE_IP, bytes(0xF5, 0x80, 0x80, 0x80), AFTER), RejectReason.NOT_JSON);
    }

    @Test
    void invalidUtf8InAnUnknownFieldIsNotJson() {
        assertRejected(concat(BEFORE_UNKNOWN, bytes(0xED, 0xA0, 0x80), AFTER), RejectReason.NOT_JSON); // surrogate
        assertRejected(concat(BEFORE_UNKNOWN, bytes(0xC0, 0x80), AFTER), RejectReason.NOT_JSON); // overlong
        assertRejected(concat(BEFORE_UNKNOWN, bytes(0xF4, 0x90, 0x80, 0x80), AFTER), RejectReason.NOT_JSON);
    }

    @Test
    void utf16Or32EncodedRecordIsNotJson() {
        String json = LoginCleanerTest.json(validFields());
        assertRejected(json.getBytes(StandardCharsets.UTF_16LE), RejectReason.NOT_JSON);
        assertRejected(json.getBytes(StandardCharsets.UTF_16BE), RejectReason.NOT_JSON);
        assertRejected(json.getBytes(StandardCharsets.UTF_16), RejectReason.NOT_JSON);
        assertRejected(json.getBytes(Charset.forName("UTF-32BE")), RejectReason.NOT_JSON);
    }

    @Test
    void escapedSurrogatePairInAMemberNameIsValidJson() {
        String valid = LoginCleanerTest.json(validFields());
        assertThat(assertCleaned(valid.replace("}", ",\"\\uD83D\\uDE00\":1}")).userId()).isEqualTo("424cdd21");
        assertThat(assertCleaned(with("extra", "{\"\\uD83D\\uDC4D\":\"like\"}")).userId()).isEqualTo("424cdd21");
    }

    @Test
    void nonAsciiLettersDoNotBecomeStateCodes() {
        assertThat(assertCleaned(with("locale", str("\u0131l"))).locale()).isEqualTo("UNK");
        assertThat(assertCleaned(with("locale", str("\u017Fc"))).locale()).isEqualTo("UNK");
    }

    @Test
    void deviceTypeLosesNextLineToo() {
        assertThat(assertCleaned(with("device_type", str("smart\u0085tv"))).deviceType()).isEqualTo("smarttv");
    }

    @Test
    void whitespaceOnlyRecordIsNotJson() {
        assertRejected(" ", RejectReason.NOT_JSON);
        assertRejected("\r\n\t", RejectReason.NOT_JSON);
    }

    @Test
    void timestampOfManyDigitsIsOutOfRange() {
        assertRejected(with("timestamp", "9".repeat(65)), RejectReason.TIMESTAMP_OUT_OF_RANGE);
    }

    @Test
    void longNumbersFollowTheFieldRules() {
        String digits = "1".repeat(100);
        assertThat(assertCleaned(with("app_version", digits)).appVersion()).isEqualTo(digits);
        assertRejected(with("device_id", "1." + "2".repeat(LoginCleaner.MAX_FIELD_LENGTH - 1)),
                RejectReason.FIELD_TOO_LONG);
        assertThat(assertCleaned(with("extra", digits)).userId()).isEqualTo("424cdd21");
    }

    @Test
    void hugeNegativeTimestampIsInvalid() {
        assertRejected(with("timestamp", "-9223372036854775809"), RejectReason.INVALID_TIMESTAMP);
    }

    @Test
    void zeroPaddedNumericStringTimestampIsRead() {
        assertThat(assertCleaned(with("timestamp", str("0000000001694479551"))).timestamp())
                .isEqualTo("2023-09-12T00:45:51Z");
    }

    @Test
    void anyContentAfterTheObjectIsTrailingContent() {
        String valid = LoginCleanerTest.json(validFields());
        assertRejected(valid + " x", RejectReason.TRAILING_CONTENT);
        assertRejected(valid + "}", RejectReason.TRAILING_CONTENT);
    }

    @Test
    void recordBrokenAfterAFieldItRejectsIsNotJson() {
        assertRejected("{\"user_id\":\"u\",\"timestamp\":true", RejectReason.NOT_JSON);
        assertRejected("{\"user_id\":\"a\",\"user_id\":\"b\"", RejectReason.NOT_JSON);
        assertRejected("{\"user_id\":{\"id\":1},\"timestamp\":1694479551,", RejectReason.NOT_JSON);
        assertRejected("{\"ip\":\"" + "1".repeat(600) + "\",\"user_id\":\"u\" garbage", RejectReason.NOT_JSON);
        assertRejected("{\"user_id\":[],\"x\":" + "[".repeat(100) + "]".repeat(100) + "}", RejectReason.NOT_JSON);
    }

    @Test
    void firstFieldProblemStillDecidesTheReasonOfAWholeObject() {
        assertRejected("{\"user_id\":\"a\",\"ip\":[],\"user_id\":\"b\",\"timestamp\":true}",
                RejectReason.INVALID_FIELD_TYPE);
        assertRejected("{\"user_id\":{},\"timestamp\":1694479551} x", RejectReason.INVALID_FIELD_TYPE);
    }

    @Test
    void topLevelValueThatIsNotWholeJsonIsNotJsonRatherThanNotAnObject() {
        assertRejected("[[[", RejectReason.NOT_JSON);
        assertRejected("\"x", RejectReason.NOT_JSON);
        assertRejected("[1] [2]", RejectReason.NOT_JSON);
        assertRejected("5 x", RejectReason.NOT_JSON);
        assertRejected("[" + "[".repeat(64) + "]".repeat(64) + "]", RejectReason.NOT_JSON);
        assertRejected(" [1] ", RejectReason.NOT_AN_OBJECT);
    }

    @Test
    void exponentAtTheEdgeOfAnIntIsOutOfRangeNotTheEpoch() {
        // precision - scale overflowed an int: 10^2147483647 was cleaned as 1970-01-01T00:00:00Z
        assertRejected(with("timestamp", "1e2147483647"), RejectReason.TIMESTAMP_OUT_OF_RANGE);
        assertRejected(with("timestamp", "1e2147483648"), RejectReason.TIMESTAMP_OUT_OF_RANGE);
        assertRejected(with("timestamp", "10e2147483647"), RejectReason.TIMESTAMP_OUT_OF_RANGE);
        assertRejected(with("timestamp", str("1e2147483647")), RejectReason.TIMESTAMP_OUT_OF_RANGE);
    }

    @Test
    void zeroOrAVanishingFractionIsTheEpochWhateverTheExponent() {
        for (String zero : new String[] { "0e400", "0.0e2147483647", "0e99999999999", "1e-2147483648",
                "1.5e-2147483647", "7e-99999999999", str("0e400") }) {
            assertThat(assertCleaned(with("timestamp", zero)).timestamp()).as(zero).isEqualTo("1970-01-01T00:00:00Z");
        }
        assertRejected(with("timestamp", "-1e-99999999999"), RejectReason.INVALID_TIMESTAMP);
    }

    @Test
    void hugeTimestampIsJudgedAfterTheUserIdHoweverTheNumberIsWritten() {
        // was TIMESTAMP_OUT_OF_RANGE for 1e400 or the string but MISSING_USER_ID for the same 10^18 as a JSON integer
        for (String huge : new String[] { "1e400", "1000000000000000000", str("1000000000000000000"),
                "9223372036854775808", "253402300800000" }) {
            assertRejected("{\"user_id\":\" \",\"timestamp\":" + huge + "}", RejectReason.MISSING_USER_ID);
            assertRejected("{\"user_id\":\"u\",\"timestamp\":" + huge + "} x", RejectReason.TRAILING_CONTENT);
            assertRejected("{\"user_id\":\"u\",\"timestamp\":" + huge + "}", RejectReason.TIMESTAMP_OUT_OF_RANGE);
        }
    }
}
