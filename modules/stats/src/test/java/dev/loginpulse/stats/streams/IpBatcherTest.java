package dev.loginpulse.stats.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Insight;

import static org.assertj.core.api.Assertions.assertThat;

class IpBatcherTest {

    private static final InsightSpec SPEC = InsightSpec.defaults();
    private static final long PANE = Instant.parse("2023-09-12T00:01:00Z").toEpochMilli();

    @Test
    void aQuantizedWatermarkOpensExactlyTheWindowsTheWatermarkOpens() {
        IpBatcher batcher = new IpBatcher(SPEC);
        // every watermark from well before to well after the pane's windows close, in steps of 1 s and 1 ms either side
        for (long watermark = PANE - 10_000; watermark <= PANE + 120_000; watermark += 1_000) {
            for (long w : List.of(watermark - 1, watermark, watermark + 1)) {
                long quantized = batcher.quantize(PANE, w);
                assertThat(quantized).isLessThanOrEqualTo(w);
                for (InsightSpec.WindowRef window : SPEC.windowsOf(PANE)) {
                    assertThat(SPEC.isOpen(window.view(), window.start(), quantized))
                            .as("%s at watermark %d (quantized %d)", window, w, quantized)
                            .isEqualTo(SPEC.isOpen(window.view(), window.start(), w));
                }
            }
        }
    }

    @Test
    void theLoginsOfAPaneFallIntoAtMostOneGroupPerClosingWindow() {
        IpBatcher batcher = new IpBatcher(SPEC);
        long groups = java.util.stream.LongStream.range(0, 200_000).map(offset -> batcher.quantize(PANE,
                PANE + offset)).distinct().count();
        // six hopping windows and one tumbling window contain the pane; one more group while none has closed
        assertThat(groups).isLessThanOrEqualTo(SPEC.windowsOf(PANE).size() + 1);
        assertThat(Duration.ofMillis(SPEC.sizeMs(Insight.TUMBLING))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aBatchSurvivesItsOwnSerde() {
        IpBatch batch = new IpBatch(2, PANE + 5, List.of(new IpBatch.Entry(PANE, Long.MIN_VALUE, "10.0.0.1", 3),
                new IpBatch.Entry(PANE + 10_000, PANE, "2001:db8::ä", 1)));

        assertThat(IpBatch.SERDE.deserializer().deserialize("t", IpBatch.SERDE.serializer().serialize("t", batch)))
                .isEqualTo(batch);
    }
}
