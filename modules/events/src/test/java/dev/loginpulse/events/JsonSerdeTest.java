package dev.loginpulse.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSerdeTest {

    @Test
    void stateStatsRoundTripsWithSnakeCaseFieldNames() {
        StateStats stats = new StateStats("RI", "2023-09-12T00:45:00Z", "2023-09-12T00:46:00Z", 12, 9, 4711,
                "2023-09-12T00:45:51Z");

        byte[] json = JsonSerde.stateStats().serialize("t", stats);

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"state\":\"RI\","
                + "\"window_start\":\"2023-09-12T00:45:00Z\",\"window_end\":\"2023-09-12T00:46:00Z\",\"logins\":12,"
                + "\"unique_users\":9,\"total_logins\":4711,\"last_login\":\"2023-09-12T00:45:51Z\"}");
        assertThat(JsonSerde.stateStats().deserialize("t", json)).isEqualTo(stats);
    }

    @Test
    void cleanLoginRoundTrips() {
        CleanLogin login = new CleanLogin("2023-09-12T00:45:51Z", "UNK", "unknown", "u", "unknown", "unknown", "d");

        assertThat(JsonSerde.cleanLogin().deserialize("t", JsonSerde.cleanLogin().serialize("t", login)))
                .isEqualTo(login);
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(JsonSerde.stateStats().serialize("t", null)).isNull();
        assertThat(JsonSerde.stateStats().deserialize("t", null)).isNull();
    }

    @Test
    void unknownFieldsAreToleratedSoConsumersSurviveAdditiveChanges() {
        byte[] json = "{\"state\":\"NY\",\"logins\":3,\"kind\":\"devices\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(JsonSerde.stateStats().deserialize("t", json).state()).isEqualTo("NY");
    }

    @Test
    void garbageFailsWithASerializationExceptionNamingTheTypeAndTopic() {
        assertThatThrownBy(() -> JsonSerde.stateStats().deserialize("user-login-stats", "not json".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("StateStats")
                .hasMessageContaining("user-login-stats");
    }

    @Test
    void kafkaConfigurableClassesHaveNoArgConstructors() {
        assertThat(new JsonSerde.CleanLoginSerializer().serialize("t", null)).isNull();
        assertThat(new JsonSerde.StateStatsDeserializer().deserialize("t", null)).isNull();
    }
}
