package dev.loginpulse.launcher;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replay's selection of dead letters; the replay itself on a real broker is {@code DeadLetterReplayIT}. */
class DeadLetterReplayTest {

    private static final Instant MONDAY = Instant.parse("2026-11-30T00:00:00Z");
    private static final Instant TUESDAY = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void selectionTakesTheGivenReasonsInAHalfOpenRangeOfDeadLetteringTimes() {
        DeadLetterReplay.Selection selection = new DeadLetterReplay.Selection(Set.of("TOO_LARGE"), MONDAY, TUESDAY);

        assertThat(selection.matches("TOO_LARGE", MONDAY.toEpochMilli())).isTrue();
        assertThat(selection.matches("TOO_LARGE", TUESDAY.toEpochMilli() - 1)).isTrue();
        assertThat(selection.matches("TOO_LARGE", TUESDAY.toEpochMilli())).as("to is exclusive").isFalse();
        assertThat(selection.matches("TOO_LARGE", MONDAY.toEpochMilli() - 1)).isFalse();
        assertThat(selection.matches("NOT_JSON", MONDAY.toEpochMilli())).isFalse();
    }

    @Test
    void selectionWithoutReasonsOrTimesTakesEveryDeadLetter() {
        DeadLetterReplay.Selection all = new DeadLetterReplay.Selection(Set.of(), null, null);

        assertThat(all.matches("NOT_JSON", 0)).isTrue();
        assertThat(all.matches("", Long.MAX_VALUE)).isTrue();
    }

    @Test
    void emptyOrReversedTimeRangeIsRefused() {
        assertThatThrownBy(() -> new DeadLetterReplay.Selection(Set.of(), TUESDAY, MONDAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be before");
        assertThatThrownBy(() -> new DeadLetterReplay.Selection(Set.of(), MONDAY, MONDAY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reasonCodeIsTheHeaderTextBeforeItsColon() {
        ConsumerRecord<byte[], byte[]> letter = new ConsumerRecord<>(Topics.USER_LOGIN_DLQ, 0, 0, null, new byte[0]);
        assertThat(DeadLetterReplay.reasonCode(letter)).as("no header").isEmpty();

        letter.headers().add(Topics.DEAD_LETTER_REASON,
                "TOO_LARGE: 300 bytes, over the limit of 200".getBytes(StandardCharsets.UTF_8));
        assertThat(DeadLetterReplay.reasonCode(letter)).isEqualTo("TOO_LARGE");
    }

    @Test
    void refedRecordKeepsTheRawRecordsOwnHeadersButNotTheDeadLetterOnesNorItsSchemaHeader() {
        ConsumerRecord<byte[], byte[]> letter = new ConsumerRecord<>(Topics.USER_LOGIN_DLQ, 0, 0, null, new byte[0]);
        letter.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        letter.headers().add(Topics.DEAD_LETTER_REASON, "NOT_JSON: x".getBytes(StandardCharsets.UTF_8));
        letter.headers().add(Topics.SCHEMA, "user-login-dlq/1".getBytes(StandardCharsets.UTF_8));

        Headers refed = DeadLetterReplay.refedHeaders(letter, "1:5");

        assertThat(refed.toArray()).extracting(Header::key).containsExactly("trace", Topics.REPLAYED_FROM);
        assertThat(refed.lastHeader(Topics.REPLAYED_FROM).value()).isEqualTo("1:5".getBytes(StandardCharsets.UTF_8));
    }
}
