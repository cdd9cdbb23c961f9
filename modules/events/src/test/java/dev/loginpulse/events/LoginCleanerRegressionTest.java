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
 * content.
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
}
