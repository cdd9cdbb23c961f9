package dev.loginpulse.events;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InsightJsonTest {

    private static final String START = "2023-09-12T00:45:00Z";
    private static final String END = "2023-09-12T00:46:00Z";
    private final JsonSerde<Insight> serde = JsonSerde.insight();

    private static Map<String, Long> counts(Object... pairs) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        }
        return map;
    }

    private String json(Insight insight) {
        return new String(serde.serialize(Topics.USER_LOGIN_INSIGHTS, insight), StandardCharsets.UTF_8);
    }

    @Test
    void deviceMixIsWrittenWithItsKindFirstAndSnakeCaseNames() {
        DeviceMix mix = new DeviceMix(Insight.HOPPING, START, END, 5, counts("android", 3, "ios", 2), 0);

        assertThat(json(mix)).isEqualTo("{\"kind\":\"device-mix\",\"view\":\"hopping\",\"window_start\":\"" + START
                + "\",\"window_end\":\"" + END + "\",\"logins\":5,\"device_types\":{\"android\":3,\"ios\":2},"
                + "\"other_logins\":0}");
    }

    @Test
    void topIpsIsWrittenWithFlagsPerIp() {
        TopIps top = new TopIps(Insight.TUMBLING, START, END, 100, 1,
                List.of(new TopIps.IpCount("10.0.0.1", 150, true), new TopIps.IpCount("10.0.0.2", 7, false)));

        assertThat(json(top)).isEqualTo("{\"kind\":\"top-ips\",\"view\":\"tumbling\",\"window_start\":\"" + START
                + "\",\"window_end\":\"" + END + "\",\"alert_threshold\":100,\"ips_over_threshold\":1,\"ips\":["
                + "{\"ip\":\"10.0.0.1\",\"logins\":150,\"flagged\":true},"
                + "{\"ip\":\"10.0.0.2\",\"logins\":7,\"flagged\":false}]}");
    }

    @Test
    void everyKindRoundTripsToItsOwnRecordType() {
        List<Insight> all = List.of(
                new DeviceMix(Insight.HOPPING, START, END, 5, counts("android", 5), 0),
                new AppVersions(Insight.HOPPING, START, END, 5, Map.of("android", counts("2.3.0", 4, "2.4.0", 1)), 0),
                new LocaleMix(Insight.HOPPING, START, END, 5, counts("RI", 4, "UNK", 1)),
                new DistinctCounts(Insight.HOPPING, START, END, 5, 4, 0.01625, 3),
                new TopIps(Insight.HOPPING, START, END, 100, 0, List.of(new TopIps.IpCount("10.0.0.1", 5, false))));

        for (Insight insight : all) {
            Insight read = serde.deserialize(Topics.USER_LOGIN_INSIGHTS,
                    serde.serialize(Topics.USER_LOGIN_INSIGHTS, insight));
            assertThat(read).isEqualTo(insight);
            assertThat(json(insight)).startsWith("{\"kind\":\"" + insight.kind() + "\"");
        }
    }

    @Test
    void aRecordOfAnUnknownKindIsASerializationErrorNotAWrongType() {
        byte[] json = "{\"kind\":\"weather\",\"view\":\"hopping\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserialize(Topics.USER_LOGIN_INSIGHTS, json))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Record on topic user-login-insights is not a valid Insight");
    }

    @Test
    void theKafkaConfigurableDeserializerReadsWhatTheSerializerWrote() {
        DistinctCounts distinct = new DistinctCounts(Insight.TUMBLING, START, END, 9, 8, 0.01625, 7);

        try (JsonSerde.InsightSerializer serializer = new JsonSerde.InsightSerializer();
                JsonSerde.InsightDeserializer deserializer = new JsonSerde.InsightDeserializer()) {
            assertThat(deserializer.deserialize("t", serializer.serialize("t", distinct))).isEqualTo(distinct);
        }
    }
}
