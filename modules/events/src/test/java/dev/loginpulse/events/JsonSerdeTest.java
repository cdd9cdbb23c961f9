package dev.loginpulse.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSerdeTest {

    static final CleanLogin LOGIN = new CleanLogin("2023-09-12T00:45:51Z", "RI", "android", "424cdd21", "2.3.0",
            "199.172.111.135", "593-47-5928");
    static final StateStats STATS = new StateStats("RI", "2023-09-12T00:45:00Z", "2023-09-12T00:46:00Z", 12, 9, 4711,
            "2023-09-12T00:45:51Z");
    static final RawLogin RAW = new RawLogin("424cdd21", "2.3.0", "android", "199.172.111.135", "RI", "593-47-5928",
            1694479551L);

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static List<String> fieldNames(byte[] json) throws IOException {
        List<String> names = new ArrayList<>();
        Json.MAPPER.readTree(json).fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // CleanLogin

    @Test
    void cleanLoginIsWrittenWithSnakeCaseNamesInContractOrder() {
        assertThat(text(JsonSerde.cleanLogin().serialize(Topics.USER_LOGIN_CLEAN, LOGIN))).isEqualTo(
                "{\"timestamp\":\"2023-09-12T00:45:51Z\",\"locale\":\"RI\",\"device_type\":\"android\","
                        + "\"user_id\":\"424cdd21\",\"app_version\":\"2.3.0\",\"ip\":\"199.172.111.135\","
                        + "\"device_id\":\"593-47-5928\"}");
    }

    @Test
    void cleanLoginRoundTrips() {
        JsonSerde<CleanLogin> serde = JsonSerde.cleanLogin();

        assertThat(serde.deserialize("t", serde.serialize("t", LOGIN))).isEqualTo(LOGIN);
    }

    @Test
    void cleanLoginOfUnknownsRoundTrips() {
        CleanLogin login = new CleanLogin("2023-09-12T00:45:51Z", "UNK", "unknown", "u", "unknown", "unknown", "d");
        JsonSerde<CleanLogin> serde = JsonSerde.cleanLogin();

        assertThat(serde.deserialize("t", serde.serialize("t", login))).isEqualTo(login);
    }

    @Test
    void epochMillisIsDerivedAndNotSerialized() throws IOException {
        byte[] json = JsonSerde.cleanLogin().serialize("t", LOGIN);

        assertThat(LOGIN.epochMillis()).isEqualTo(1_694_479_551_000L);
        assertThat(fieldNames(json)).hasSize(7).doesNotContain("epochMillis", "epoch_millis");
    }

    @Test
    void awkwardTextRoundTripsAsValidUtf8() throws CharacterCodingException {
        // quotes, backslashes, control characters, non-BMP characters and even an unpaired surrogate
        CleanLogin login = new CleanLogin("2023-09-12T00:45:51Z", "UNK", "ärger\uD83D\uDE00", "a\"b\\c\u0000\n",
                "\uD800", "<script>", "\u2028\u2029");
        JsonSerde<CleanLogin> serde = JsonSerde.cleanLogin();

        byte[] json = serde.serialize("t", login);

        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(json));
        assertThat(serde.deserialize("t", json)).isEqualTo(login);
    }

    @Test
    void cleanLoginReadsUnknownFieldsAndAnyOrder() {
        byte[] json = utf8("{\"device_id\":\"593-47-5928\",\"ip\":\"199.172.111.135\",\"future\":{\"a\":[1,2]},"
                + "\"user_id\":\"424cdd21\",\"app_version\":\"2.3.0\",\"device_type\":\"android\",\"locale\":\"RI\","
                + "\"timestamp\":\"2023-09-12T00:45:51Z\",\"epoch_millis\":5,\"flag\":true}");

        assertThat(JsonSerde.cleanLogin().deserialize("t", json)).isEqualTo(LOGIN);
    }

    @Test
    void missingFieldsAreReadAsNull() {
        assertThat(JsonSerde.cleanLogin().deserialize("t", utf8("{\"user_id\":\"u\"}")))
                .isEqualTo(new CleanLogin(null, null, null, "u", null, null, null));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // StateStats

    @Test
    void stateStatsIsWrittenWithSnakeCaseNamesInContractOrder() {
        assertThat(text(JsonSerde.stateStats().serialize(Topics.USER_LOGIN_STATS, STATS))).isEqualTo(
                "{\"state\":\"RI\",\"window_start\":\"2023-09-12T00:45:00Z\",\"window_end\":\"2023-09-12T00:46:00Z\","
                        + "\"logins\":12,\"unique_users\":9,\"total_logins\":4711,"
                        + "\"last_login\":\"2023-09-12T00:45:51Z\",\"late_logins\":0}");
    }

    @Test
    void stateStatsOfAnEarlierVersionWithoutLateLoginsIsReadWithZero() {
        byte[] json = utf8("{\"state\":\"RI\",\"window_start\":\"2023-09-12T00:45:00Z\","
                + "\"window_end\":\"2023-09-12T00:46:00Z\",\"logins\":12,\"unique_users\":9,\"total_logins\":4711,"
                + "\"last_login\":\"2023-09-12T00:45:51Z\"}");

        assertThat(JsonSerde.stateStats().deserialize(Topics.USER_LOGIN_STATS, json)).isEqualTo(STATS);
    }

    @Test
    void stateStatsRoundTrips() {
        JsonSerde<StateStats> serde = JsonSerde.stateStats();

        assertThat(serde.deserialize("t", serde.serialize("t", STATS))).isEqualTo(STATS);
    }

    @Test
    void stateStatsCountsRoundTripAtTheirExtremes() throws IOException {
        StateStats extreme = new StateStats("UNK", "+10000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", 0, Long.MAX_VALUE,
                Long.MIN_VALUE, "");
        JsonSerde<StateStats> serde = JsonSerde.stateStats();

        byte[] json = serde.serialize("t", extreme);

        JsonNode tree = Json.MAPPER.readTree(json);
        assertThat(tree.get("unique_users").isIntegralNumber()).isTrue();
        assertThat(tree.get("unique_users").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(serde.deserialize("t", json)).isEqualTo(extreme);
    }

    @Test
    void stateStatsReadsUnknownFieldsSoConsumersSurviveAdditiveChanges() {
        byte[] json = utf8("{\"state\":\"NY\",\"logins\":3,\"kind\":\"devices\",\"window_start\":\"w\","
                + "\"breakdown\":{\"android\":2,\"ios\":[1]},\"window_end\":\"e\",\"unique_users\":2,"
                + "\"total_logins\":30,\"last_login\":\"l\",\"p99\":1.5,\"extra\":null}");

        assertThat(JsonSerde.stateStats().deserialize("t", json))
                .isEqualTo(new StateStats("NY", "w", "e", 3, 2, 30, "l"));
    }

    @Test
    void missingCountsAreReadAsZero() {
        assertThat(JsonSerde.stateStats().deserialize("t", utf8("{\"state\":\"NY\"}")))
                .isEqualTo(new StateStats("NY", null, null, 0, 0, 0, null));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // RawLogin

    @Test
    void rawLoginIsWrittenWithSnakeCaseNamesAndExplicitNulls() {
        RawLogin raw = new RawLogin("u", null, "android", "1.2.3.4", null, "d", 1694479551L);

        assertThat(text(JsonSerde.rawLogin().serialize(Topics.USER_LOGIN, raw))).isEqualTo(
                "{\"user_id\":\"u\",\"app_version\":null,\"device_type\":\"android\",\"ip\":\"1.2.3.4\","
                        + "\"locale\":null,\"device_id\":\"d\",\"timestamp\":1694479551}");
    }

    @Test
    void rawLoginRoundTripsAndReadsANumericStringTimestamp() {
        JsonSerde<RawLogin> serde = JsonSerde.rawLogin();

        assertThat(serde.deserialize("t", serde.serialize("t", RAW))).isEqualTo(RAW);
        assertThat(serde.deserialize("t", utf8("{\"user_id\":\"424cdd21\",\"app_version\":\"2.3.0\","
                + "\"device_type\":\"android\",\"ip\":\"199.172.111.135\",\"locale\":\"RI\","
                + "\"device_id\":\"593-47-5928\",\"timestamp\":\"1694479551\"}"))).isEqualTo(RAW);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // null, garbage, Kafka plumbing

    static Stream<Arguments> serdes() {
        return Stream.of(
                Arguments.of(JsonSerde.cleanLogin(), "CleanLogin"),
                Arguments.of(JsonSerde.stateStats(), "StateStats"),
                Arguments.of(JsonSerde.rawLogin(), "RawLogin"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("serdes")
    void nullIsATombstoneBothWays(JsonSerde<?> serde, String type) {
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("serdes")
    void jsonNullIsReadAsNull(JsonSerde<?> serde, String type) {
        assertThat(serde.deserialize("t", utf8("null"))).isNull();
    }

    static Stream<Arguments> garbage() {
        List<byte[]> inputs = List.of(
                utf8("not json"),
                utf8("{\"state\":"),
                utf8("{\"user_id\":\"u\""),
                new byte[] { (byte) 0xFF, (byte) 0xFE, 0x00, 0x01 },
                utf8("{\"user_id\":\"\u00e9"),
                new byte[0],
                utf8("[1,2,3]"),
                utf8("\"just a string\""),
                utf8("{\"logins\":\"abc\",\"timestamp\":{},\"user_id\":[]}"),
                utf8("{'state':'RI'}"));
        List<Arguments> arguments = new ArrayList<>();
        serdes().forEach(serde -> inputs.forEach(input -> arguments.add(Arguments.of(serde.get()[0], serde.get()[1],
                input))));
        return arguments.stream();
    }

    @ParameterizedTest(name = "{1} [{index}]")
    @MethodSource("garbage")
    void garbageFailsWithASerializationExceptionNamingTheTypeAndTopic(JsonSerde<?> serde, String type, byte[] input) {
        assertThatThrownBy(() -> serde.deserialize("some-topic", input))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(type)
                .hasMessageContaining("some-topic")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void stateStatsWithATextCountIsNotAValidStateStats() {
        assertThatThrownBy(() -> JsonSerde.stateStats().deserialize("user-login-stats", utf8("{\"logins\":\"abc\"}")))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Record on topic user-login-stats is not a valid StateStats");
    }

    @Test
    void serdeIsItsOwnSerializerAndDeserializer() {
        JsonSerde<StateStats> serde = JsonSerde.stateStats();
        serde.configure(Map.of("any", "thing"), false);

        Serializer<StateStats> serializer = serde.serializer();
        Deserializer<StateStats> deserializer = serde.deserializer();

        assertThat(serializer).isSameAs(serde);
        assertThat(deserializer).isSameAs(serde);
        assertThat(deserializer.deserialize("t", serializer.serialize("t", STATS))).isEqualTo(STATS);
        serde.close();
        assertThat(serde.deserialize("t", serde.serialize("t", STATS))).as("close releases nothing").isEqualTo(STATS);
    }

    @Test
    void serdeWorksAsAKafkaSerde() {
        Serde<CleanLogin> serde = JsonSerde.cleanLogin();

        byte[] bytes = serde.serializer().serialize(Topics.USER_LOGIN_CLEAN, LOGIN);

        assertThat(serde.deserializer().deserialize(Topics.USER_LOGIN_CLEAN, bytes)).isEqualTo(LOGIN);
    }

    @Test
    @SuppressWarnings("unchecked")
    void kafkaConfigurableClassesWorkThroughTheirNoArgConstructors() throws Exception {
        // Kafka instantiates (de)serializers by class name through the public no-arg constructor
        Serializer<CleanLogin> loginSerializer = JsonSerde.CleanLoginSerializer.class.getConstructor().newInstance();
        Deserializer<CleanLogin> loginDeserializer = JsonSerde.CleanLoginDeserializer.class.getConstructor()
                .newInstance();
        Serializer<StateStats> statsSerializer = JsonSerde.StateStatsSerializer.class.getConstructor().newInstance();
        Deserializer<StateStats> statsDeserializer = JsonSerde.StateStatsDeserializer.class.getConstructor()
                .newInstance();
        loginSerializer.configure(Map.of(), false);
        loginDeserializer.configure(Map.of(), false);

        assertThat(loginDeserializer.deserialize("t", loginSerializer.serialize("t", LOGIN))).isEqualTo(LOGIN);
        assertThat(statsDeserializer.deserialize("t", statsSerializer.serialize("t", STATS))).isEqualTo(STATS);
        assertThat(loginSerializer.serialize("t", null)).isNull();
        assertThat(statsDeserializer.deserialize("t", null)).isNull();
        assertThat(loginSerializer.serialize("t", LOGIN)).isEqualTo(JsonSerde.cleanLogin().serialize("t", LOGIN));
    }

    @Test
    void serializedCleanLoginIsReadByTheStatsSideTypeOnly() {
        // a CleanLogin is not a StateStats, but the tolerant reader must not blow up on it either
        byte[] json = JsonSerde.cleanLogin().serialize("t", LOGIN);

        assertThat(JsonSerde.stateStats().deserialize("t", json))
                .isEqualTo(new StateStats(null, null, null, 0, 0, 0, null));
    }
}
