package dev.loginpulse.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

class LoginCleanerTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private final LoginCleaner cleaner = new LoginCleaner(LoginCleaner.DEFAULT_MAX_RECORD_BYTES, Duration.ofHours(1),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void wellFormedLoginCleansToExactlyTheSevenContractFields() throws Exception {
        CleanLogin login = clean("""
                {"user_id":"424cdd21","app_version":"2.3.0","device_type":"android","ip":"199.172.111.135",
                 "locale":"RI","device_id":"593-47-5928","timestamp":"1694479551"}""");

        assertThat(login).isEqualTo(new CleanLogin("2023-09-12T00:45:51Z", "RI", "android", "424cdd21", "2.3.0",
                "199.172.111.135", "593-47-5928"));
        JsonNode json = Json.MAPPER.readTree(JsonSerde.cleanLogin().serialize("t", login));
        assertThat(json.properties()).extracting(e -> e.getKey()).containsExactly("timestamp", "locale", "device_type",
                "user_id", "app_version", "ip", "device_id");
        assertThat(json.properties()).allSatisfy(e -> assertThat(e.getValue().isTextual()).isTrue());
    }

    @ParameterizedTest(name = "timestamp {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "1694479551         | 2023-09-12T00:45:51Z",
            "\"1694479551\"     | 2023-09-12T00:45:51Z",
            "\" 1694479551 \"   | 2023-09-12T00:45:51Z",
            "1694479551999      | 2023-09-12T00:45:51Z",
            "\"1694479551123\"  | 2023-09-12T00:45:51Z",
            "0                  | 1970-01-01T00:00:00Z",
            "99999999999        | 5138-11-16T09:46:39Z",
            "100000000000       | 1973-03-03T09:46:40Z" })
    void timestampIsUnixSecondsOrMillisecondsFromTenToTheElevenAsNumberOrNumericString(String timestamp,
            String expected) {
        LoginCleaner farFuture = new LoginCleaner(LoginCleaner.DEFAULT_MAX_RECORD_BYTES, Duration.ofDays(10_000_000),
                Clock.fixed(NOW, ZoneOffset.UTC));
        CleaningResult result = farFuture.clean(bytes("{\"user_id\":\"u\",\"timestamp\":" + timestamp + "}"));

        assertThat(result).isInstanceOf(CleaningResult.Cleaned.class);
        assertThat(((CleaningResult.Cleaned) result).login().timestamp()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "timestamp {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "                       | MISSING_TIMESTAMP",
            ",\"timestamp\":null    | MISSING_TIMESTAMP",
            ",\"timestamp\":1.5     | INVALID_TIMESTAMP",
            ",\"timestamp\":1.0     | INVALID_TIMESTAMP",
            ",\"timestamp\":1e9     | INVALID_TIMESTAMP",
            ",\"timestamp\":-1      | INVALID_TIMESTAMP",
            ",\"timestamp\":\"-5\"  | INVALID_TIMESTAMP",
            ",\"timestamp\":\"abc\" | INVALID_TIMESTAMP",
            ",\"timestamp\":\"\"    | INVALID_TIMESTAMP",
            ",\"timestamp\":\"1.5\" | INVALID_TIMESTAMP",
            ",\"timestamp\":true    | INVALID_TIMESTAMP",
            ",\"timestamp\":{}      | INVALID_TIMESTAMP",
            ",\"timestamp\":[1]     | INVALID_TIMESTAMP",
            ",\"timestamp\":9223372036854775808 | TIMESTAMP_OUT_OF_RANGE",
            ",\"timestamp\":9223372036854775807 | TIMESTAMP_OUT_OF_RANGE",
            ",\"timestamp\":\"99999999999999999999\" | TIMESTAMP_OUT_OF_RANGE",
            ",\"timestamp\":253402300800000 | TIMESTAMP_OUT_OF_RANGE",
            ",\"timestamp\":1800000000 | TIMESTAMP_OUT_OF_RANGE" })
    void unusableTimestampsAreDeadLetteredWithTheirReason(String timestampField, RejectReason reason) {
        String field = timestampField == null ? "" : timestampField;

        assertThat(reject("{\"user_id\":\"u\"" + field + "}").reason()).isEqualTo(reason);
    }

    @Test
    void eventTimeUpToTheAllowedSkewAheadOfTheClockIsAccepted() {
        long inAnHour = NOW.plus(Duration.ofHours(1)).getEpochSecond();

        assertThat(clean("{\"user_id\":\"u\",\"timestamp\":" + inAnHour + "}").timestamp())
                .isEqualTo("2026-11-21T13:00:00Z");
        assertThat(reject("{\"user_id\":\"u\",\"timestamp\":" + (inAnHour + 1) + "}").reason())
                .isEqualTo(RejectReason.TIMESTAMP_OUT_OF_RANGE);
    }

    @ParameterizedTest(name = "locale {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\"RI\"        | RI",
            "\" ny \"      | NY",
            "\"pr\"        | PR",
            "\"dc\"        | DC",
            "\"\\u00a0wa\\u3000\" | WA",
            "\"XX\"        | UNK",
            "\"UNK\"       | UNK",
            "\"\"          | UNK",
            "\"   \"       | UNK",
            "null          | UNK",
            "42            | UNK",
            "\"<script>alert(1)</script>\" | UNK",
            "\"R I\"       | UNK" })
    void localeIsTrimmedAndUpperCasedOrUnknown(String locale, String expected) {
        assertThat(clean("{\"user_id\":\"u\",\"timestamp\":1,\"locale\":" + locale + "}").locale()).isEqualTo(expected);
    }

    @Test
    void missingLocaleIsUnknown() {
        assertThat(clean("{\"user_id\":\"u\",\"timestamp\":1}").locale()).isEqualTo(UsState.UNKNOWN);
    }

    @ParameterizedTest(name = "device_type {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "\" Android Tablet \"      | androidtablet",
            "\"iOS\"                    | ios",
            "\"i\\u00a0Phone\\u3000X\"  | iphonex",
            "\"\\u200bzero\\u200bwidth\\ufeff\" | zerowidth",
            "\"web\\tapp\\n\"           | webapp",
            "\"\"                       | unknown",
            "\"  \\t \"                 | unknown",
            "null                       | unknown" })
    void deviceTypeIsLowerCasedWithAllWhitespaceRemovedOrUnknown(String deviceType, String expected) {
        assertThat(clean("{\"user_id\":\"u\",\"timestamp\":1,\"device_type\":" + deviceType + "}").deviceType())
                .isEqualTo(expected);
    }

    @Test
    void optionalFieldsPassThroughUnchangedOrBecomeUnknown() {
        CleanLogin present = clean("{\"user_id\":\" u1 \",\"timestamp\":1,\"app_version\":\" 2.3 \","
                + "\"ip\":\"::1\",\"device_id\":\"D-1\"}");
        CleanLogin absent = clean("{\"user_id\":\"u1\",\"timestamp\":1,\"app_version\":null,\"ip\":\"  \"}");

        assertThat(present.userId()).isEqualTo(" u1 ");
        assertThat(present.appVersion()).isEqualTo(" 2.3 ");
        assertThat(present.ip()).isEqualTo("::1");
        assertThat(present.deviceId()).isEqualTo("D-1");
        assertThat(absent.appVersion()).isEqualTo("unknown");
        assertThat(absent.ip()).isEqualTo("unknown");
        assertThat(absent.deviceId()).isEqualTo("unknown");
        assertThat(absent.deviceType()).isEqualTo("unknown");
    }

    @Test
    void numbersWhereStringsBelongAreTakenAsTheirText() {
        CleanLogin login = clean("{\"user_id\":42,\"timestamp\":1,\"app_version\":3.0,\"device_id\":7}");

        assertThat(login.userId()).isEqualTo("42");
        assertThat(login.appVersion()).isEqualTo("3.0");
        assertThat(login.deviceId()).isEqualTo("7");
    }

    @Test
    void unknownFieldsAreDroppedWhateverTheyHold() {
        CleanLogin login = clean("{\"user_id\":\"u\",\"timestamp\":1,\"extra\":{\"a\":[1,{\"b\":null}]},\"n\":1e308,"
                + "\"t\":true}");

        assertThat(login.userId()).isEqualTo("u");
    }

    @ParameterizedTest(name = "user_id {0}")
    @ValueSource(strings = { "", ",\"user_id\":null", ",\"user_id\":\"\"", ",\"user_id\":\" \\t \"" })
    void missingOrBlankUserIsDeadLettered(String userField) {
        CleaningResult.Rejected rejected = reject("{\"timestamp\":1" + userField + "}");

        assertThat(rejected.reason()).isEqualTo(RejectReason.MISSING_USER_ID);
        assertThat(rejected.headerValue()).startsWith("MISSING_USER_ID: ");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "not json                                  | NOT_JSON",
            "{\"user_id\":\"u\"                        | NOT_JSON",
            "{user_id:1,\"timestamp\":1}              | NOT_JSON",
            "[1,2]                                     | NOT_AN_OBJECT",
            "\"text\"                                  | NOT_AN_OBJECT",
            "5                                         | NOT_AN_OBJECT",
            "null                                      | NOT_AN_OBJECT",
            "{\"user_id\":\"u\",\"timestamp\":1} {}    | TRAILING_CONTENT",
            "{\"user_id\":\"u\",\"user_id\":\"v\",\"timestamp\":1} | DUPLICATE_FIELD",
            "{\"user_id\":\"u\",\"timestamp\":1,\"timestamp\":2}   | DUPLICATE_FIELD",
            "{\"user_id\":{\"id\":1},\"timestamp\":1}  | INVALID_FIELD_TYPE",
            "{\"user_id\":\"u\",\"locale\":[\"RI\"],\"timestamp\":1} | INVALID_FIELD_TYPE",
            "{\"user_id\":true,\"timestamp\":1}        | INVALID_FIELD_TYPE" })
    void unreadableInputIsDeadLetteredWithItsReason(String raw, RejectReason reason) {
        assertThat(reject(raw).reason()).isEqualTo(reason);
    }

    @Test
    void emptyNullInvalidUtf8AndTooDeepInputIsNotJson() {
        byte[] invalidUtf8 = bytes("{\"user_id\":\"u\",\"timestamp\":1}");
        invalidUtf8[13] = (byte) 0xC3;
        invalidUtf8[14] = (byte) 0x28;
        String tooDeep = "{\"user_id\":\"u\",\"timestamp\":1,\"x\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 1)
                + "]".repeat(Json.MAX_NESTING_DEPTH + 1) + "}";

        assertThat(((CleaningResult.Rejected) cleaner.clean(null)).reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(((CleaningResult.Rejected) cleaner.clean(new byte[0])).reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(((CleaningResult.Rejected) cleaner.clean(invalidUtf8)).reason()).isEqualTo(RejectReason.NOT_JSON);
        assertThat(reject(tooDeep).reason()).isEqualTo(RejectReason.NOT_JSON);
    }

    @Test
    void recordsOverTheSizeLimitAreDeadLetteredUnparsed() {
        LoginCleaner small = new LoginCleaner(100, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        String padded = "{\"user_id\":\"u\",\"timestamp\":1,\"pad\":\"" + "x".repeat(100) + "\"}";

        CleaningResult.Rejected rejected = (CleaningResult.Rejected) small.clean(bytes(padded));

        assertThat(rejected.reason()).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(rejected.detail()).contains("limit 100");
    }

    @Test
    void fieldsLongerThanTheLimitAreDeadLettered() {
        String longId = "u".repeat(LoginCleaner.MAX_FIELD_LENGTH + 1);

        assertThat(reject("{\"user_id\":\"" + longId + "\",\"timestamp\":1}").reason())
                .isEqualTo(RejectReason.FIELD_TOO_LONG);
        assertThat(clean("{\"user_id\":\"" + longId.substring(1) + "\",\"timestamp\":1}").userId())
                .hasSize(LoginCleaner.MAX_FIELD_LENGTH);
    }

    @Test
    void escapedNulBytesAndMarkupSurviveAsData() {
        CleanLogin login = clean("{\"user_id\":\"a\\u0000b\",\"timestamp\":1,\"device_id\":\"<b>x</b>\"}");

        assertThat(login.userId()).isEqualTo("a\u0000b");
        assertThat(login.deviceId()).isEqualTo("<b>x</b>");
    }

    private CleanLogin clean(String raw) {
        CleaningResult result = cleaner.clean(bytes(raw));
        assertThat(result).as("result of %s", raw).isInstanceOf(CleaningResult.Cleaned.class);
        return ((CleaningResult.Cleaned) result).login();
    }

    private CleaningResult.Rejected reject(String raw) {
        CleaningResult result = cleaner.clean(bytes(raw));
        assertThat(result).as("result of %s", raw).isInstanceOf(CleaningResult.Rejected.class);
        CleaningResult.Rejected rejected = (CleaningResult.Rejected) result;
        assertThat(rejected.detail()).isNotBlank();
        return rejected;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
