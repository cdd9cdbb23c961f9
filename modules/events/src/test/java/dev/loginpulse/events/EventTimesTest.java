package dev.loginpulse.events;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventTimesTest {

    @Test
    void eventTimestampsInTheContractsFormReadAsTheSameMicrosecondsAsInstantParse() {
        SplittableRandom random = new SplittableRandom(15);
        Instant from = Instant.parse("1970-01-01T00:00:00Z");
        Instant to = Instant.parse("2400-01-01T00:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(from.getEpochSecond(), to.getEpochSecond()));
            String iso = instant.toString();
            assertThat(iso).hasSize(20);
            assertThat(EventTimes.epochMicros(iso)).as(iso).isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH, instant));
            assertThat(EventTimes.epochMillis(iso)).as(iso).isEqualTo(instant.toEpochMilli());
        }
        assertThat(EventTimes.epochMicros("2024-02-29T23:59:59Z"))
                .isEqualTo(Instant.parse("2024-02-29T23:59:59Z").getEpochSecond() * 1_000_000L);
    }

    @Test
    void otherIsoFormsGoThroughInstantParseWithTheirFractions() {
        assertThat(EventTimes.epochMicros("2026-12-07T10:00:00.123456Z")).isEqualTo(1_796_637_600_123_456L);
        assertThat(EventTimes.epochMicros("1969-12-31T23:59:59.5Z")).isEqualTo(-500_000L);
        assertThat(EventTimes.epochMillis("2026-12-07T10:00:00.123456Z")).isEqualTo(1_796_637_600_123L);
        assertThat(EventTimes.epochMillis("1969-12-31T23:59:59.5Z")).isEqualTo(-500L);
        for (String lenient : new String[] { "2023-01-01T24:00:00Z", "2023-06-30T23:59:60Z" }) {
            Instant parsed = Instant.parse(lenient);
            assertThat(EventTimes.epochMicros(lenient)).as(lenient)
                    .isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH, parsed));
            assertThat(EventTimes.epochMillis(lenient)).as(lenient).isEqualTo(parsed.toEpochMilli());
        }
    }

    @Test
    void impossibleDatesAndTimesAreRefusedLikeInstantParseRefusesThem() {
        for (String bad : new String[] { "2023-02-29T10:00:00Z", "2023-13-01T10:00:00Z", "2023-01-01T10:60:00Z",
                "2023-01-01T25:00:00Z", "2023-01-0xT10:00:00Z", "not a time" }) {
            assertThatThrownBy(() -> Instant.parse(bad)).as(bad).isInstanceOf(DateTimeException.class);
            assertThatThrownBy(() -> EventTimes.epochMicros(bad)).as(bad).isInstanceOf(DateTimeException.class);
            assertThatThrownBy(() -> EventTimes.epochMillis(bad)).as(bad).isInstanceOf(DateTimeException.class);
        }
    }

    @Test
    void wholeSecondsAreWrittenAsIsoInstantWritesThemAndReadBack() {
        SplittableRandom random = new SplittableRandom(14);
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long second = random.nextLong(-62_167_219_200L, last + 1); // 0000-01-01 to 9999-12-31
            String iso = EventTimes.iso(second);
            assertThat(iso).as("%d", second).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second)));
            assertThat(EventTimes.epochMillis(iso)).isEqualTo(second * 1_000L);
        }
        for (long second : new long[] { 0, -1, 951_868_800L, last, last + 1, -62_167_219_201L }) {
            assertThat(EventTimes.iso(second)).as("%d", second)
                    .isEqualTo(DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second)));
        }
        assertThat(EventTimes.iso(0)).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(EventTimes.iso(last + 1)).isEqualTo("+10000-01-01T00:00:00Z");
    }
}
