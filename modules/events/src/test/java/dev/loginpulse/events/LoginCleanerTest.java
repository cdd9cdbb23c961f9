package dev.loginpulse.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The cleaning rules of {@code docs/contracts.md}, rule by rule. */
class LoginCleanerTest {

    /** The fixed "now" of {@link #cleaner}: 2024-01-01T00:00:00Z = 1704067200. */
    static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");
    static final long NOW_SECONDS = NOW.getEpochSecond();
    static final Duration SKEW = Duration.ofHours(1);

    static final List<String> STRING_FIELDS = List.of("user_id", "app_version", "device_type", "ip", "locale",
            "device_id");
    static final List<String> ALL_FIELDS = List.of("user_id", "app_version", "device_type", "ip", "locale", "device_id",
            "timestamp");

    final LoginCleaner cleaner = cleanerAt(NOW);

    static LoginCleaner cleanerAt(Instant now) {
        return new LoginCleaner(LoginCleaner.DEFAULT_MAX_RECORD_BYTES, SKEW, Clock.fixed(now, ZoneOffset.UTC));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers: a valid raw record as an ordered map of field name -> raw JSON value text

    static LinkedHashMap<String, String> validFields() {
        LinkedHashMap<String, String> fields = new LinkedHashMap<>();
        fields.put("user_id", str("424cdd21"));
        fields.put("app_version", str("2.3.0"));
        fields.put("device_type", str("android"));
        fields.put("ip", str("199.172.111.135"));
        fields.put("locale", str("RI"));
        fields.put("device_id", str("593-47-5928"));
        fields.put("timestamp", "1694479551");
        return fields;
    }

    static String json(Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        for (Iterator<Map.Entry<String, String>> it = fields.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, String> field = it.next();
            out.append(str(field.getKey())).append(':').append(field.getValue());
            if (it.hasNext()) {
                out.append(',');
            }
        }
        return out.append('}').toString();
    }

    /** The valid record with one field's raw JSON value replaced (or added). */
    static String with(String field, String rawJsonValue) {
        LinkedHashMap<String, String> fields = validFields();
        fields.put(field, rawJsonValue);
        return json(fields);
    }

    /** The valid record without one field. */
    static String without(String field) {
        LinkedHashMap<String, String> fields = validFields();
        fields.remove(field);
        return json(fields);
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped, everything else raw. */
    static String str(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    CleanLogin cleaned(String rawJson) {
        return cleaned(cleaner, utf8(rawJson));
    }

    static CleanLogin cleaned(LoginCleaner cleaner, byte[] raw) {
        CleaningResult result = cleaner.clean(raw);
        if (result instanceof CleaningResult.Cleaned cleaned) {
            assertThat(cleaned.login()).isNotNull();
            return cleaned.login();
        }
        return fail("expected %s to be cleaned, but it was %s", new String(raw, StandardCharsets.UTF_8), result);
    }

    CleaningResult.Rejected rejected(String rawJson, RejectReason reason) {
        return rejected(cleaner, utf8(rawJson), reason);
    }

    static CleaningResult.Rejected rejected(LoginCleaner cleaner, byte[] raw, RejectReason reason) {
        CleaningResult result = cleaner.clean(raw);
        if (result instanceof CleaningResult.Rejected rejected) {
            assertThat(rejected.reason()).as("reason for %s", raw == null ? null : new String(raw, StandardCharsets.UTF_8))
                    .isEqualTo(reason);
            assertThat(rejected.detail()).isNotBlank();
            assertThat(rejected.headerValue()).isEqualTo(reason.name() + ": " + rejected.detail());
            return rejected;
        }
        return fail("expected %s to be rejected as %s, but it was %s",
                raw == null ? null : new String(raw, StandardCharsets.UTF_8), reason, result);
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class FullExample {

        static final String RAW = """
                {"user_id": "424cdd21", "app_version": "2.3.0", "device_type": "android", "ip": "199.172.111.135",
                 "locale": "RI", "device_id": "593-47-5928", "timestamp": "1694479551"}""";

        @Test
        void contractExampleIsCleanedToExactlyTheDocumentedRecord() {
            assertThat(cleaned(RAW)).isEqualTo(new CleanLogin("2023-09-12T00:45:51Z", "RI", "android", "424cdd21",
                    "2.3.0", "199.172.111.135", "593-47-5928"));
        }

        @Test
        void contractExampleSerializesToExactlyTheDocumentedJson() {
            byte[] json = JsonSerde.cleanLogin().serialize(Topics.USER_LOGIN_CLEAN, cleaned(RAW));

            assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(
                    "{\"timestamp\":\"2023-09-12T00:45:51Z\",\"locale\":\"RI\",\"device_type\":\"android\","
                            + "\"user_id\":\"424cdd21\",\"app_version\":\"2.3.0\",\"ip\":\"199.172.111.135\","
                            + "\"device_id\":\"593-47-5928\"}");
        }

        @Test
        void cleanRecordHasExactlySevenStringFieldsInContractOrder() throws Exception {
            LinkedHashMap<String, String> fields = validFields();
            fields.put("locale", "null");
            fields.remove("app_version");
            CleanLogin login = cleaned(json(fields));
            JsonNode tree = Json.MAPPER.readTree(JsonSerde.cleanLogin().serialize("t", login));

            List<String> names = new ArrayList<>();
            tree.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("timestamp", "locale", "device_type", "user_id", "app_version", "ip",
                    "device_id");
            tree.elements().forEachRemaining(value -> assertThat(value.isTextual()).as("%s is a string", value).isTrue());
            assertThat(tree.get("locale").asText()).isEqualTo("UNK");
            assertThat(tree.get("app_version").asText()).isEqualTo("unknown");
        }

        @Test
        void recordWrittenByTheGeneratorIsCleaned() {
            RawLogin raw = new RawLogin("u-7", null, " iPhone ", "10.0.0.1", null, "d-1", 1694479551L);
            byte[] value = JsonSerde.rawLogin().serialize(Topics.USER_LOGIN, raw);

            assertThat(cleaned(cleaner, value)).isEqualTo(
                    new CleanLogin("2023-09-12T00:45:51Z", "UNK", "iphone", "u-7", "unknown", "10.0.0.1", "d-1"));
        }

        @Test
        void fieldOrderAndInsignificantWhitespaceOfTheRawRecordDoNotMatter() {
            String reordered = "\n{ \"timestamp\" :\t1694479551 ,\r\n \"device_id\":\"593-47-5928\", \"locale\":\"RI\","
                    + "\"ip\":\"199.172.111.135\",\"device_type\":\"android\",\"app_version\":\"2.3.0\","
                    + "\"user_id\":\"424cdd21\" }\n";

            assertThat(cleaned(reordered)).isEqualTo(cleaned(json(validFields())));
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Timestamp {

        static Stream<Arguments> secondsToIso() {
            return Stream.of(
                    Arguments.of("1694479551", "2023-09-12T00:45:51Z"),
                    Arguments.of("0", "1970-01-01T00:00:00Z"),
                    Arguments.of("1", "1970-01-01T00:00:01Z"),
                    Arguments.of("951782400", "2000-02-29T00:00:00Z"),
                    Arguments.of(Long.toString(NOW_SECONDS), "2024-01-01T00:00:00Z"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @MethodSource("secondsToIso")
        void unixSecondsBecomeIsoUtcWithSecondsPrecision(String seconds, String iso) {
            assertThat(cleaned(with("timestamp", seconds)).timestamp()).isEqualTo(iso);
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = { "1694479551", " 1694479551 ", "\t1694479551\n", "   1694479551", "1694479551\r\n",
                "\u20031694479551\u3000" })
        void numericStringTimestampIsReadAsSeconds(String text) {
            assertThat(cleaned(with("timestamp", str(text))).timestamp()).isEqualTo("2023-09-12T00:45:51Z");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "1694479551000", "1694479551001", "1694479551999", "\"1694479551999\"",
                "\" 1694479551500 \"" })
        void millisecondTimestampIsTruncatedToSeconds(String raw) {
            assertThat(cleaned(with("timestamp", raw)).timestamp()).isEqualTo("2023-09-12T00:45:51Z");
        }

        @Test
        void valuesFromTenToTheElevenAreMillisecondsBelowAreSeconds() {
            LoginCleaner farFuture = cleanerAt(Instant.ofEpochSecond(LoginCleaner.MAX_EPOCH_SECOND));
            long threshold = LoginCleaner.MILLIS_THRESHOLD;
            assertThat(threshold).isEqualTo(100_000_000_000L);

            assertThat(cleaned(farFuture, utf8(with("timestamp", Long.toString(threshold - 1)))).timestamp())
                    .isEqualTo(Instant.ofEpochSecond(threshold - 1).toString())
                    .startsWith("5138-");
            assertThat(cleaned(farFuture, utf8(with("timestamp", Long.toString(threshold)))).timestamp())
                    .isEqualTo(Instant.ofEpochMilli(threshold).toString())
                    .startsWith("1973-");
        }

        @Test
        void missingTimestampIsRejected() {
            assertThat(rejected(without("timestamp"), RejectReason.MISSING_TIMESTAMP).detail()).contains("timestamp");
        }

        @Test
        void nullTimestampIsRejected() {
            rejected(with("timestamp", "null"), RejectReason.MISSING_TIMESTAMP);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "1694479551.964", "1694479551.0", "1694479551E0", "1.694479551964E9",
                "\"1694479551.999999\"", "\" 1694479551.5 \"", "\"1.694479551e9\"", "1694479551999.5",
                "\"1694479551000.25\"" })
        void fractionalUnixTimeIsFlooredToTheSecond(String raw) {
            assertThat(cleaned(with("timestamp", raw)).timestamp()).isEqualTo("2023-09-12T00:45:51Z");
        }

        @Test
        void fractionBelowOneSecondIsTheEpoch() {
            assertThat(cleaned(with("timestamp", "0.999")).timestamp()).isEqualTo("1970-01-01T00:00:00Z");
            assertThat(cleaned(with("timestamp", "1e-999999999")).timestamp()).isEqualTo("1970-01-01T00:00:00Z");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "2023-09-12T00:45:51Z", "2023-09-12T00:45:51.999Z", "2023-09-12T01:45:51+01:00",
                "2023-09-11T20:45:51.123456789-04:00", "2023-09-12T05:30:51.5+04:45", " 2023-09-12T00:45:51Z ",
                "2023-09-12T00:45:51+00:00" })
        void isoDateTimeWithZOrAnOffsetIsAccepted(String text) {
            assertThat(cleaned(with("timestamp", str(text))).timestamp()).isEqualTo("2023-09-12T00:45:51Z");
        }

        @Test
        void isoDateTimeWithoutSecondsIsAccepted() {
            assertThat(cleaned(with("timestamp", str("2023-09-12T00:45Z"))).timestamp())
                    .isEqualTo("2023-09-12T00:45:00Z");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "\"2023-09-12T00:45:51\"", "\"2023-09-12\"", "\"2023-09-12 00:45:51Z\"",
                "\"2023-13-12T00:45:51Z\"", "\"2023-09-12T25:45:51Z\"", "\"2023-09-12T00:45:51+25:00\"",
                "\"Tuesday\"", "\"T\"" })
        void dateTimeWithoutOffsetOrOutOfCalendarIsInvalid(String raw) {
            assertThat(rejected(with("timestamp", raw), RejectReason.INVALID_TIMESTAMP).detail())
                    .contains("ISO-8601");
        }

        @Test
        void isoDateTimeBefore1970IsInvalid() {
            assertThat(rejected(with("timestamp", str("1969-12-31T23:59:59Z")), RejectReason.INVALID_TIMESTAMP)
                    .detail()).contains("before 1970");
        }

        @Test
        void isoDateTimeBeyondTheFutureSkewIsOutOfRange() {
            Instant tooLate = NOW.plus(LoginCleaner.DEFAULT_MAX_FUTURE_SKEW).plusSeconds(1);
            rejected(with("timestamp", str(tooLate.toString())), RejectReason.TIMESTAMP_OUT_OF_RANGE);
            assertThat(cleaned(with("timestamp", str(NOW.plus(LoginCleaner.DEFAULT_MAX_FUTURE_SKEW).toString())))
                    .timestamp()).isEqualTo(NOW.plus(LoginCleaner.DEFAULT_MAX_FUTURE_SKEW).toString());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "1e999999999", "\"1E999999999\"", "1e99999999999", "1.5e19" })
        void hugeExponentIsOutOfRangeWithoutBeingExpanded(String raw) {
            rejected(with("timestamp", raw), RejectReason.TIMESTAMP_OUT_OF_RANGE);
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "\"abc\"", "\"\"", "\"   \"", "\"+5\"", "\"0x10\"", "\"1694479551abc\"",
                "\"1 694 479 551\"", "\"--5\"", "\"1694479551.\"", "\".5\"", "\"NaN\"", "\"Infinity\"", "\"1,5\"",
                "true", "false", "{}", "{\"seconds\":1694479551}", "[]", "[1694479551]" })
        void unparseableTimestampIsInvalid(String raw) {
            assertThat(rejected(with("timestamp", raw), RejectReason.INVALID_TIMESTAMP).detail())
                    .contains("timestamp");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "-1", "-1694479551", "-9223372036854775808", "\"-5\"", "\" -5 \"", "\"-1694479551\"",
                "-0.5", "\"-1694479551.5\"" })
        void negativeTimestampIsInvalid(String raw) {
            assertThat(rejected(with("timestamp", raw), RejectReason.INVALID_TIMESTAMP).detail()).contains("negative");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "9223372036854775808", "18446744073709551616", "99999999999999999999999999999999",
                "\"9223372036854775808\"", "\"99999999999999999999\"" })
        void timestampBeyondALongIsOutOfRange(String raw) {
            rejected(with("timestamp", raw), RejectReason.TIMESTAMP_OUT_OF_RANGE);
        }

        @Test
        void lastSecondOfYear9999IsAcceptedAndAnythingLaterIsOutOfRange() {
            // a clock far beyond 9999 so that the future-skew check cannot interfere
            LoginCleaner farFuture = cleanerAt(
                    Instant.ofEpochSecond(LoginCleaner.MAX_EPOCH_SECOND).plus(Duration.ofDays(3650)));
            long lastMillis = LoginCleaner.MAX_EPOCH_SECOND * 1000;

            assertThat(cleaned(farFuture, utf8(with("timestamp", Long.toString(lastMillis)))).timestamp())
                    .isEqualTo("9999-12-31T23:59:59Z");
            assertThat(cleaned(farFuture, utf8(with("timestamp", Long.toString(lastMillis + 999)))).timestamp())
                    .isEqualTo("9999-12-31T23:59:59Z");
            assertThat(rejected(farFuture, utf8(with("timestamp", Long.toString(lastMillis + 1000))),
                    RejectReason.TIMESTAMP_OUT_OF_RANGE).detail()).contains("9999");
            assertThat(rejected(farFuture, utf8(with("timestamp", Long.toString(Long.MAX_VALUE))),
                    RejectReason.TIMESTAMP_OUT_OF_RANGE).detail()).contains("9999");
            assertThat(rejected(farFuture, utf8(with("timestamp", "\"999999999999999999\"")),
                    RejectReason.TIMESTAMP_OUT_OF_RANGE).detail()).contains("9999");
        }

        @Test
        void timestampUpToTheMaxFutureSkewIsAccepted() {
            long limit = NOW_SECONDS + SKEW.toSeconds();
            assertThat(cleaned(with("timestamp", Long.toString(limit))).timestamp()).isEqualTo("2024-01-01T01:00:00Z");
            assertThat(cleaned(with("timestamp", str(Long.toString(limit)))).timestamp())
                    .isEqualTo("2024-01-01T01:00:00Z");
            assertThat(cleaned(with("timestamp", Long.toString(limit * 1000 + 999))).timestamp())
                    .isEqualTo("2024-01-01T01:00:00Z");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "1704070801", "\"1704070801\"", "1704070801000", "1800000000", "99999999999" })
        void timestampFurtherInTheFutureThanTheSkewIsOutOfRange(String raw) {
            assertThat(rejected(with("timestamp", raw), RejectReason.TIMESTAMP_OUT_OF_RANGE).detail())
                    .contains("future");
        }

        @Test
        void zeroSkewAcceptsNowButNotOneSecondLater() {
            LoginCleaner strict = new LoginCleaner(1024, Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));

            assertThat(cleaned(strict, utf8(with("timestamp", Long.toString(NOW_SECONDS)))).timestamp())
                    .isEqualTo("2024-01-01T00:00:00Z");
            rejected(strict, utf8(with("timestamp", Long.toString(NOW_SECONDS + 1))), RejectReason.TIMESTAMP_OUT_OF_RANGE);
        }

        @Test
        void futureCheckFollowsTheClock() {
            String raw = with("timestamp", Long.toString(NOW_SECONDS + Duration.ofDays(1).toSeconds()));

            rejected(raw, RejectReason.TIMESTAMP_OUT_OF_RANGE);
            assertThat(cleaned(cleanerAt(NOW.plus(Duration.ofDays(1))), utf8(raw)).timestamp())
                    .isEqualTo("2024-01-02T00:00:00Z");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class LocaleRule {

        static Stream<Arguments> normalised() {
            return Stream.of(
                    Arguments.of(" ny ", "NY"),
                    Arguments.of("pr", "PR"),
                    Arguments.of("Dc", "DC"),
                    Arguments.of("RI", "RI"),
                    Arguments.of("\tca\n", "CA"),
                    Arguments.of("\u3000tx\u2003", "TX"),
                    // contracts.md: trimmed, Unicode whitespace too
                    Arguments.of("\u00A0NY\u00A0", "NY"),
                    Arguments.of("\u2007ca\u202F", "CA"),
                    Arguments.of("\u200Bwa\uFEFF\u2060", "WA"));
        }

        @ParameterizedTest(name = "[{index}] -> {1}")
        @MethodSource("normalised")
        void localeIsTrimmedAndUpperCased(String locale, String expected) {
            assertThat(cleaned(with("locale", str(locale))).locale()).isEqualTo(expected);
        }

        @ParameterizedTest
        @EnumSource(UsState.class)
        void everyStateCodeIsRecognisedInAnyCase(UsState state) {
            assertThat(cleaned(with("locale", str(state.code()))).locale()).isEqualTo(state.code());
            assertThat(cleaned(with("locale", str(" " + state.code().toLowerCase() + " "))).locale())
                    .isEqualTo(state.code());
        }

        @ParameterizedTest(name = "[{index}] \"{0}\"")
        @ValueSource(strings = { "XX", "<script>", "", "   ", "\t", "UNK", "unk", "New York", "N Y", "NYC", "N", "US-NY",
                "en_US", "ZZ", "\"RI\"", "R I" })
        void unrecognisedLocaleIsUnk(String locale) {
            assertThat(cleaned(with("locale", str(locale))).locale()).isEqualTo(UsState.UNKNOWN).isEqualTo("UNK");
        }

        @Test
        void nullLocaleIsUnk() {
            assertThat(cleaned(with("locale", "null")).locale()).isEqualTo("UNK");
        }

        @Test
        void missingLocaleIsUnk() {
            assertThat(cleaned(without("locale")).locale()).isEqualTo("UNK");
        }

        @Test
        void numericLocaleIsUnk() {
            assertThat(cleaned(with("locale", "5")).locale()).isEqualTo("UNK");
        }

        @Test
        void cleanLocaleHelperFollowsTheSameRule() {
            assertThat(LoginCleaner.cleanLocale(null)).isEqualTo("UNK");
            assertThat(LoginCleaner.cleanLocale(" wy ")).isEqualTo("WY");
            assertThat(LoginCleaner.cleanLocale("wyoming")).isEqualTo("UNK");
            assertThat(LoginCleaner.cleanLocale("\u00A0")).isEqualTo("UNK");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class DeviceTypeRule {

        static Stream<Arguments> normalised() {
            return Stream.of(
                    Arguments.of(" Android Tablet ", "androidtablet"),
                    Arguments.of("IOS", "ios"),
                    Arguments.of("android", "android"),
                    Arguments.of("\u00A0Smart\u3000TV\u200B", "smarttv"),
                    Arguments.of("a\tb\nc\rd\u000Be\u000Cf", "abcdef"),
                    Arguments.of("web\u2028app\u2029", "webapp"),
                    Arguments.of("x\u2007y\u202Fz\u2003", "xyz"),
                    Arguments.of("\uFEFFDesk\u2060top\u200C\u200D", "desktop"),
                    Arguments.of("Ärger Gerät", "ärgergerät"));
        }

        @ParameterizedTest(name = "[{index}] {1}")
        @MethodSource("normalised")
        void deviceTypeIsLowerCasedWithAllWhitespaceRemoved(String deviceType, String expected) {
            assertThat(cleaned(with("device_type", str(deviceType))).deviceType()).isEqualTo(expected);
        }

        @ParameterizedTest(name = "[{index}]")
        @ValueSource(strings = { "", " ", "\t\n\r", "\u00A0", "\u3000", "\u200B", "\u00A0\u3000\u200B\u2060\uFEFF" })
        void emptyOrAllWhitespaceDeviceTypeIsUnknown(String deviceType) {
            assertThat(cleaned(with("device_type", str(deviceType))).deviceType()).isEqualTo("unknown");
        }

        @Test
        void nullDeviceTypeIsUnknown() {
            assertThat(cleaned(with("device_type", "null")).deviceType()).isEqualTo(LoginCleaner.UNKNOWN);
        }

        @Test
        void missingDeviceTypeIsUnknown() {
            assertThat(cleaned(without("device_type")).deviceType()).isEqualTo("unknown");
        }

        @Test
        void cleanDeviceTypeHelperFollowsTheSameRule() {
            assertThat(LoginCleaner.cleanDeviceType(null)).isEqualTo("unknown");
            assertThat(LoginCleaner.cleanDeviceType("\u200B")).isEqualTo("unknown");
            assertThat(LoginCleaner.cleanDeviceType(" Smart Watch ")).isEqualTo("smartwatch");
            assertThat(LoginCleaner.cleanDeviceType("a\uD83D\uDE00b")).isEqualTo("a\uD83D\uDE00b");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class UserIdRule {

        @ParameterizedTest(name = "[{index}] \"{0}\"")
        @ValueSource(strings = { "424cdd21", " u 1 ", "Ünïcödé-ユーザー", "a\"b\\c", "<script>", "0" })
        void userIdIsPassedThroughUnchanged(String userId) {
            assertThat(cleaned(with("user_id", str(userId))).userId()).isEqualTo(userId);
        }

        @Test
        void missingUserIdIsRejected() {
            assertThat(rejected(without("user_id"), RejectReason.MISSING_USER_ID).headerValue())
                    .isEqualTo("MISSING_USER_ID: user_id is missing, null or blank");
        }

        @Test
        void nullUserIdIsRejected() {
            rejected(with("user_id", "null"), RejectReason.MISSING_USER_ID);
        }

        @ParameterizedTest(name = "[{index}]")
        @ValueSource(strings = { "", " ", "   ", "\t\n\r", "\u3000" })
        void blankUserIdIsRejected(String userId) {
            rejected(with("user_id", str(userId)), RejectReason.MISSING_USER_ID);
        }

        @Test
        void userIdFieldNameIsCaseSensitive() {
            LinkedHashMap<String, String> fields = validFields();
            fields.remove("user_id");
            fields.put("User_Id", str("u"));
            fields.put("userId", str("u"));

            rejected(json(fields), RejectReason.MISSING_USER_ID);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class PassThroughFields {

        static Stream<Arguments> fieldsAndValues() {
            List<Arguments> arguments = new ArrayList<>();
            for (String field : List.of("app_version", "ip", "device_id")) {
                for (String value : List.of("2.3.0", " padded ", "::1", "Ünïcödé", "A B C")) {
                    arguments.add(Arguments.of(field, value));
                }
            }
            return arguments.stream();
        }

        @ParameterizedTest(name = "{0} = \"{1}\"")
        @MethodSource("fieldsAndValues")
        void valueIsPassedThroughUnchanged(String field, String value) {
            CleanLogin login = cleaned(with(field, str(value)));

            assertThat(field(login, field)).isEqualTo(value);
        }

        static Stream<Arguments> fieldsAndMissingValues() {
            List<Arguments> arguments = new ArrayList<>();
            for (String field : List.of("app_version", "ip", "device_id")) {
                arguments.add(Arguments.of(field, null));
                arguments.add(Arguments.of(field, "null"));
                arguments.add(Arguments.of(field, "\"\""));
                arguments.add(Arguments.of(field, "\"   \""));
                arguments.add(Arguments.of(field, "\"\\t\\n\""));
            }
            return arguments.stream();
        }

        @ParameterizedTest(name = "{0} = {1}")
        @MethodSource("fieldsAndMissingValues")
        void missingNullOrBlankValueIsUnknown(String field, String rawValue) {
            CleanLogin login = cleaned(rawValue == null ? without(field) : with(field, rawValue));

            assertThat(field(login, field)).isEqualTo("unknown");
        }

        @Test
        void orUnknownHelperFollowsTheSameRule() {
            assertThat(LoginCleaner.orUnknown(null)).isEqualTo("unknown");
            assertThat(LoginCleaner.orUnknown(" \t")).isEqualTo("unknown");
            assertThat(LoginCleaner.orUnknown(" x ")).isEqualTo(" x ");
        }

        @Test
        void onlyUserIdAndTimestampAreNeeded() {
            assertThat(cleaned("{\"user_id\":\"u\",\"timestamp\":1694479551}")).isEqualTo(
                    new CleanLogin("2023-09-12T00:45:51Z", "UNK", "unknown", "u", "unknown", "unknown", "unknown"));
        }

        static String field(CleanLogin login, String field) {
            return switch (field) {
                case "app_version" -> login.appVersion();
                case "ip" -> login.ip();
                case "device_id" -> login.deviceId();
                case "user_id" -> login.userId();
                case "device_type" -> login.deviceType();
                case "locale" -> login.locale();
                default -> throw new IllegalArgumentException(field);
            };
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class FieldTypes {

        static Stream<Arguments> numbersAsText() {
            return Stream.of(
                    Arguments.of("user_id", "42", "42"),
                    Arguments.of("user_id", "-7", "-7"),
                    Arguments.of("app_version", "2.5", "2.5"),
                    Arguments.of("app_version", "1.50", "1.50"),
                    Arguments.of("ip", "1E3", "1E3"),
                    Arguments.of("device_id", "123456789012345678901234567890", "123456789012345678901234567890"),
                    Arguments.of("device_type", "12", "12"),
                    Arguments.of("locale", "5", "UNK"));
        }

        @ParameterizedTest(name = "{0}: {1} -> \"{2}\"")
        @MethodSource("numbersAsText")
        void numberInAStringFieldIsTakenAsItsJsonText(String field, String number, String expected) {
            assertThat(PassThroughFields.field(cleaned(with(field, number)), field)).isEqualTo(expected);
        }

        static Stream<Arguments> fieldsAndNonScalars() {
            List<Arguments> arguments = new ArrayList<>();
            for (String field : STRING_FIELDS) {
                for (String value : List.of("{}", "{\"a\":1}", "[]", "[\"x\"]", "true", "false")) {
                    arguments.add(Arguments.of(field, value));
                }
            }
            return arguments.stream();
        }

        @ParameterizedTest(name = "{0} = {1}")
        @MethodSource("fieldsAndNonScalars")
        void objectArrayOrBooleanInAStringFieldIsInvalidFieldType(String field, String rawValue) {
            assertThat(rejected(with(field, rawValue), RejectReason.INVALID_FIELD_TYPE).detail()).startsWith(field);
        }

        @ParameterizedTest
        @ValueSource(strings = { "user_id", "app_version", "device_type", "ip", "locale", "device_id" })
        void fieldLongerThanTheLimitIsRejected(String field) {
            String tooLong = "a".repeat(LoginCleaner.MAX_FIELD_LENGTH + 1);

            assertThat(rejected(with(field, str(tooLong)), RejectReason.FIELD_TOO_LONG).detail())
                    .startsWith(field)
                    .contains(Integer.toString(LoginCleaner.MAX_FIELD_LENGTH + 1))
                    .contains(Integer.toString(LoginCleaner.MAX_FIELD_LENGTH));
        }

        @ParameterizedTest
        @ValueSource(strings = { "user_id", "app_version", "ip", "device_id" })
        void fieldOfExactlyTheLimitIsPassedThrough(String field) {
            String longest = "b".repeat(LoginCleaner.MAX_FIELD_LENGTH);

            assertThat(PassThroughFields.field(cleaned(with(field, str(longest))), field)).isEqualTo(longest);
        }

        @Test
        void deviceTypeOfExactlyTheLimitIsCleaned() {
            String longest = "B".repeat(LoginCleaner.MAX_FIELD_LENGTH);

            assertThat(cleaned(with("device_type", str(longest))).deviceType()).isEqualTo(longest.toLowerCase());
        }

        @Test
        void limitCountsDecodedCharactersNotEscapes() {
            // 512 chars, each written as a 6-char escape sequence
            String escaped = "\"" + "\\u0041".repeat(LoginCleaner.MAX_FIELD_LENGTH) + "\"";

            assertThat(cleaned(with("user_id", escaped)).userId()).isEqualTo("A".repeat(LoginCleaner.MAX_FIELD_LENGTH));
        }

        @Test
        void escapedStringsAreDecoded() {
            assertThat(cleaned(with("user_id", "\"a\\u00e9\\\"\\\\\\/b\"")).userId()).isEqualTo("aé\"\\/b");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class UnknownFields {

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = { "1", "\"x\"", "null", "true", "{}", "[]", "{\"user_id\":\"nested\",\"a\":[1,{\"b\":null}]}",
                "[[[[{\"timestamp\":-1}]]]]", "1.5e300", "\"\\u0000\"" })
        void unknownFieldIsDropped(String rawValue) {
            assertThat(cleaned(with("extra", rawValue))).isEqualTo(cleaned(json(validFields())));
        }

        @Test
        void manyUnknownFieldsAreDroppedAndOutputHasOnlyTheSevenFields() throws Exception {
            LinkedHashMap<String, String> fields = new LinkedHashMap<>();
            fields.put("session", "{\"id\":\"s\",\"tags\":[\"a\",\"b\"]}");
            fields.putAll(validFields());
            fields.put("User_Id", str("other"));
            fields.put("geo", "[1.5, 2.5]");
            fields.put("long_text", str("z".repeat(5000)));

            CleanLogin login = cleaned(json(fields));
            JsonNode tree = Json.MAPPER.readTree(JsonSerde.cleanLogin().serialize("t", login));

            assertThat(login.userId()).isEqualTo("424cdd21");
            assertThat(tree.size()).isEqualTo(7);
            assertThat(tree.has("session")).isFalse();
            assertThat(tree.has("geo")).isFalse();
        }

        @Test
        void unknownFieldMayAppearTwice() {
            String raw = json(validFields()).replace("}", ",\"extra\":1,\"extra\":{\"x\":2}}");

            assertThat(cleaned(raw).userId()).isEqualTo("424cdd21");
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Structure {

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = { "garbage", "{", "}", "{\"user_id\":", "{\"user_id\":\"u\"", "{\"user_id\":\"u\",",
                "{\"user_id\":\"u\",\"timestamp\":16944", "{'user_id':'u'}", "{user_id:\"u\"}", "{\"a\":1,}",
                "{\"a\":NaN}", "{\"a\":01}", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "nul", "tru", "{\"a\":\"\\x\"}",
                "{\"a\":/*c*/1}", "<xml/>" })
        void malformedJsonIsNotJson(String raw) {
            rejected(raw, RejectReason.NOT_JSON);
        }

        @Test
        void truncatedRecordIsNotJson() {
            String valid = json(validFields());
            for (int length = 1; length < valid.length(); length++) {
                String truncated = valid.substring(0, length);
                assertThat(cleaner.clean(utf8(truncated))).as(truncated).isInstanceOfSatisfying(
                        CleaningResult.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(RejectReason.NOT_JSON));
            }
        }

        @Test
        void nullRecordIsNotJson() {
            rejected(cleaner, null, RejectReason.NOT_JSON);
        }

        @Test
        void emptyRecordIsNotJson() {
            rejected(cleaner, new byte[0], RejectReason.NOT_JSON);
        }

        static Stream<Arguments> invalidUtf8() {
            byte[] prefix = utf8("{\"user_id\":\"u");
            byte[] suffix = utf8("\",\"timestamp\":1694479551}");
            return Stream.of(
                    Arguments.of("0xFF in a known field", concat(prefix, bytes(0xFF), suffix)),
                    Arguments.of("0xFE in a known field", concat(prefix, bytes(0xFE), suffix)),
                    Arguments.of("lone continuation byte", concat(prefix, bytes(0x80), suffix)),
                    Arguments.of("lead byte followed by ASCII", concat(prefix, bytes(0xC3, 'x'), suffix)),
                    Arguments.of("encoded surrogate in a known field", concat(prefix, bytes(0xED, 0xA0, 0x80), suffix)),
                    Arguments.of("0xFF in an unknown field",
                            concat(utf8("{\"user_id\":\"u\",\"timestamp\":1694479551,\"x\":\""), bytes(0xFF),
                                    utf8("\"}"))),
                    Arguments.of("0xFF in a field name",
                            concat(utf8("{\"user_id\":\"u\",\"timestamp\":1694479551,\"x"), bytes(0xFF),
                                    utf8("\":1}"))),
                    Arguments.of("truncated multi-byte sequence at the end",
                            concat(utf8("{\"user_id\":\"u\",\"timestamp\":1694479551,\"ip\":\""), bytes(0xE2, 0x82))),
                    Arguments.of("0xFF before the object", concat(bytes(0xFF), utf8("{\"user_id\":\"u\"}"))),
                    Arguments.of("Latin-1 encoded text", concat(prefix, "é".getBytes(StandardCharsets.ISO_8859_1), suffix)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("invalidUtf8")
        void invalidUtf8IsNotJson(String description, byte[] raw) {
            rejected(cleaner, raw, RejectReason.NOT_JSON);
        }

        @Test
        void validMultiByteUtf8IsAccepted() {
            assertThat(cleaned(with("user_id", str("é€😀"))).userId()).isEqualTo("é€😀");
        }

        @Test
        void leadingUtf8ByteOrderMarkIsTolerated() {
            byte[] raw = concat(bytes(0xEF, 0xBB, 0xBF), utf8(json(validFields())));

            assertThat(cleaned(cleaner, raw)).isEqualTo(cleaned(json(validFields())));
        }

        static Stream<Arguments> notObjects() {
            return Stream.of(
                    Arguments.of("[1]", "an array"),
                    Arguments.of("[]", "an array"),
                    Arguments.of("[{\"user_id\":\"u\",\"timestamp\":1694479551}]", "an array"),
                    Arguments.of("\"x\"", "a string"),
                    Arguments.of("5", "a number"),
                    Arguments.of("-1.5", "a number"),
                    Arguments.of("null", "null"),
                    Arguments.of("true", "a boolean"),
                    Arguments.of(" false ", "a boolean"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("notObjects")
        void jsonThatIsNotAnObjectIsRejected(String raw, String description) {
            assertThat(rejected(raw, RejectReason.NOT_AN_OBJECT).detail()).contains(description);
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = { " {\"b\":2}", "{}", " 1", "[]", " \"x\"", " null", "\n{\"user_id\":\"u2\"}" })
        void contentAfterTheObjectIsTrailingContent(String trailer) {
            rejected(json(validFields()) + trailer, RejectReason.TRAILING_CONTENT);
        }

        @Test
        void contractTrailingContentExampleIsRejected() {
            rejected("{\"a\":1} {\"b\":2}", RejectReason.TRAILING_CONTENT);
        }

        @ParameterizedTest(name = "[{index}]")
        @ValueSource(strings = { " ", "\n", "\r\n", "\t \n " })
        void trailingWhitespaceIsFine(String trailer) {
            assertThat(cleaned(json(validFields()) + trailer)).isEqualTo(cleaned(json(validFields())));
        }

        @ParameterizedTest
        @ValueSource(strings = { "user_id", "app_version", "device_type", "ip", "locale", "device_id", "timestamp" })
        void knownFieldTwiceIsDuplicateField(String field) {
            String raw = json(validFields()).replace("}", "," + str(field) + ":" + validFields().get(field) + "}");

            assertThat(rejected(raw, RejectReason.DUPLICATE_FIELD).detail()).contains(field);
        }

        @Test
        void knownFieldTwiceIsDuplicateEvenIfTheFirstIsNull() {
            rejected("{\"user_id\":null,\"user_id\":\"u\",\"timestamp\":1694479551}", RejectReason.DUPLICATE_FIELD);
        }

        @Test
        void escapedSpellingOfAKnownFieldNameIsTheSameField() {
            rejected("{\"user_id\":\"a\",\"user\\u005fid\":\"b\",\"timestamp\":1694479551}", RejectReason.DUPLICATE_FIELD);
        }

        @Test
        void nestingUpToTheLimitIsAccepted() {
            int inner = Json.MAX_NESTING_DEPTH - 1; // the record itself is the first level
            String arrays = with("extra", "[".repeat(inner) + "]".repeat(inner));
            String objects = with("extra", "{\"a\":".repeat(inner - 1) + "{}" + "}".repeat(inner - 1));

            assertThat(cleaned(arrays).userId()).isEqualTo("424cdd21");
            assertThat(cleaned(objects).userId()).isEqualTo("424cdd21");
        }

        @Test
        void nestingDeeperThanTheLimitIsNotJson() {
            int inner = Json.MAX_NESTING_DEPTH;
            String arrays = with("extra", "[".repeat(inner) + "]".repeat(inner));
            String objects = with("extra", "{\"a\":".repeat(inner - 1) + "{}" + "}".repeat(inner - 1));

            rejected(arrays, RejectReason.NOT_JSON);
            rejected(objects, RejectReason.NOT_JSON);
        }

        @Test
        void veryDeepNestingIsNotJsonAndDoesNotOverflowTheStack() {
            int depth = 100_000;
            rejected("[".repeat(depth), RejectReason.NOT_JSON);
            rejected(with("extra", "[".repeat(depth) + "]".repeat(depth)), RejectReason.NOT_JSON);
        }

        @Test
        void recordOfExactlyTheSizeLimitIsParsedAndOneByteMoreIsTooLarge() {
            byte[] raw = utf8(json(validFields()));
            LoginCleaner exact = new LoginCleaner(raw.length, SKEW, Clock.fixed(NOW, ZoneOffset.UTC));
            LoginCleaner smaller = new LoginCleaner(raw.length - 1, SKEW, Clock.fixed(NOW, ZoneOffset.UTC));

            assertThat(cleaned(exact, raw).userId()).isEqualTo("424cdd21");
            assertThat(rejected(smaller, raw, RejectReason.TOO_LARGE).detail())
                    .contains(Integer.toString(raw.length))
                    .contains(Integer.toString(raw.length - 1));
        }

        @Test
        void recordAboveTheDefaultLimitIsTooLargeWithoutBeingParsed() {
            byte[] garbage = new byte[LoginCleaner.DEFAULT_MAX_RECORD_BYTES + 1];
            Arrays.fill(garbage, (byte) 0xFF);

            rejected(cleaner, garbage, RejectReason.TOO_LARGE);
        }

        @Test
        void recordOfTheDefaultLimitIsParsed() {
            String padding = "p".repeat(LoginCleaner.DEFAULT_MAX_RECORD_BYTES);
            String raw = with("padding", str(padding));
            // trim the padding so that the record is exactly the limit
            int excess = utf8(raw).length - LoginCleaner.DEFAULT_MAX_RECORD_BYTES;
            String exact = with("padding", str(padding.substring(excess)));
            assertThat(utf8(exact)).hasSize(LoginCleaner.DEFAULT_MAX_RECORD_BYTES);

            assertThat(cleaned(exact).userId()).isEqualTo("424cdd21");
        }

        @Test
        void inputIsNotModified() {
            byte[] raw = utf8(with("device_type", str(" Android Tablet ")));
            byte[] copy = raw.clone();

            cleaner.clean(raw);

            assertThat(raw).isEqualTo(copy);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class RejectReasons {

        static Map<RejectReason, byte[]> oneExampleEach() {
            Map<RejectReason, byte[]> examples = new EnumMap<>(RejectReason.class);
            examples.put(RejectReason.TOO_LARGE, new byte[LoginCleaner.DEFAULT_MAX_RECORD_BYTES + 1]);
            examples.put(RejectReason.NOT_JSON, utf8("not json"));
            examples.put(RejectReason.NOT_AN_OBJECT, utf8("[1]"));
            examples.put(RejectReason.TRAILING_CONTENT, utf8("{\"a\":1} {\"b\":2}"));
            examples.put(RejectReason.DUPLICATE_FIELD, utf8("{\"ip\":\"a\",\"ip\":\"b\"}"));
            examples.put(RejectReason.INVALID_FIELD_TYPE, utf8(with("ip", "[\"1.2.3.4\"]")));
            examples.put(RejectReason.FIELD_TOO_LONG, utf8(with("ip", str("1".repeat(513)))));
            examples.put(RejectReason.MISSING_USER_ID, utf8(without("user_id")));
            examples.put(RejectReason.MISSING_TIMESTAMP, utf8(without("timestamp")));
            examples.put(RejectReason.INVALID_TIMESTAMP, utf8(with("timestamp", "\"1.5 s\"")));
            examples.put(RejectReason.TIMESTAMP_OUT_OF_RANGE, utf8(with("timestamp", "9223372036854775808")));
            return examples;
        }

        @Test
        void everyRejectReasonHasAnExample() {
            assertThat(oneExampleEach().keySet()).containsExactlyInAnyOrder(RejectReason.values());
        }

        @ParameterizedTest
        @EnumSource(RejectReason.class)
        void everyRejectReasonIsProducedByItsExample(RejectReason reason) {
            CleaningResult.Rejected rejected = rejected(cleaner, oneExampleEach().get(reason), reason);

            assertThat(rejected.headerValue()).startsWith(reason.name() + ": ");
            assertThat(rejected.detail()).doesNotContain("\n");
        }

        @Test
        void headerValueIsReasonColonSpaceDetail() {
            assertThat(new CleaningResult.Rejected(RejectReason.NOT_JSON, "garbage").headerValue())
                    .isEqualTo("NOT_JSON: garbage");
        }

        @Test
        void longParserMessagesAreAbbreviatedToOneLine() {
            String raw = "{\"" + "k".repeat(300) + "\" 1}";

            CleaningResult.Rejected rejected = rejected(raw, RejectReason.NOT_JSON);

            assertThat(rejected.detail()).doesNotContain("\n").hasSizeLessThanOrEqualTo(80);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Nested
    class Construction {

        @ParameterizedTest
        @ValueSource(ints = { 0, -1, Integer.MIN_VALUE })
        void nonPositiveMaxRecordBytesIsRefused(int maxRecordBytes) {
            assertThatThrownBy(() -> new LoginCleaner(maxRecordBytes, SKEW, Clock.systemUTC()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxRecordBytes");
        }

        @Test
        void negativeFutureSkewIsRefused() {
            assertThatThrownBy(() -> new LoginCleaner(1024, Duration.ofSeconds(-1), Clock.systemUTC()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxFutureSkew");
        }

        @Test
        void defaultsAreOneMebibyteAndOneHour() {
            assertThat(LoginCleaner.DEFAULT_MAX_RECORD_BYTES).isEqualTo(1024 * 1024);
            assertThat(LoginCleaner.DEFAULT_MAX_FUTURE_SKEW).isEqualTo(Duration.ofHours(1));
            assertThat(LoginCleaner.MAX_FIELD_LENGTH).isEqualTo(512);
            assertThat(LoginCleaner.MAX_EPOCH_SECOND).isEqualTo(Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            assertThat(Json.MAX_NESTING_DEPTH).isEqualTo(64);
        }

        @Test
        void defaultCleanerUsesTheSystemClock() {
            LoginCleaner defaults = LoginCleaner.withDefaults();
            long now = Instant.now().getEpochSecond();

            assertThat(cleaned(defaults, utf8(with("timestamp", Long.toString(now - 60)))).timestamp())
                    .isEqualTo(Instant.ofEpochSecond(now - 60).toString());
            rejected(defaults, utf8(with("timestamp", Long.toString(now + Duration.ofDays(1).toSeconds()))),
                    RejectReason.TIMESTAMP_OUT_OF_RANGE);
        }
    }
}
