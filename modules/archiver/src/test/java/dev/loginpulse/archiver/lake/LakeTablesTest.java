package dev.loginpulse.archiver.lake;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LakeTablesTest {

    @Test
    void eventTimestampsInTheContractsFormReadAsTheSameMicrosecondsAsInstantParse() {
        SplittableRandom random = new SplittableRandom(15);
        Instant from = Instant.parse("1970-01-01T00:00:00Z");
        Instant to = Instant.parse("2400-01-01T00:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(from.getEpochSecond(), to.getEpochSecond()));
            String iso = instant.toString();
            assertThat(iso).hasSize(20);
            assertThat(LakeTables.micros(iso)).as(iso).isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
        }
        assertThat(LakeTables.micros("2024-02-29T23:59:59Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59Z").getEpochSecond() * 1_000_000L);
    }

    @Test
    void otherIsoFormsGoThroughInstantParseWithTheirFractions() {
        assertThat(LakeTables.micros("2026-12-07T10:00:00.123456Z")).isEqualTo(1_796_637_600_123_456L);
        assertThat(LakeTables.micros("1969-12-31T23:59:59.5Z")).isEqualTo(-500_000L);
        for (String lenient : new String[] { "2023-01-01T24:00:00Z", "2023-06-30T23:59:60Z" }) {
            Instant parsed = Instant.parse(lenient);
            assertThat(LakeTables.micros(lenient)).as(lenient)
                    .isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH, parsed));
        }
    }

    @Test
    void impossibleDatesAndTimesAreRefusedLikeInstantParseRefusesThem() {
        for (String bad : new String[] { "2023-02-29T10:00:00Z", "2023-13-01T10:00:00Z", "2023-01-01T10:60:00Z",
                "2023-01-01T25:00:00Z", "2023-01-0xT10:00:00Z", "not a time" }) {
            assertThatThrownBy(() -> Instant.parse(bad)).as(bad).isInstanceOf(DateTimeException.class);
            assertThatThrownBy(() -> LakeTables.micros(bad)).as(bad).isInstanceOf(DateTimeException.class);
        }
    }
}
