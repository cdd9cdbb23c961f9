package dev.loginpulse.cleaner.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cleaner's bound on batches in flight, on a clock the test moves. */
class PendingBatchesTest {

    private final MutableClock clock = new MutableClock();
    private final PendingBatches pending = new PendingBatches(3, clock);

    @Test
    void nextBatchIsAdmittedAtOnceWhileFewerThanTheBoundArePending() {
        assertThat(pending.admit(new CompletableFuture<>())).isCompleted();
        assertThat(pending.admit(new CompletableFuture<>())).isCompleted();
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void atTheBoundTheNextBatchWaitsUntilAnOlderOneIsAcknowledged() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        CompletableFuture<Void> third = new CompletableFuture<>();
        pending.admit(first);
        pending.admit(second);

        CompletionStage<Void> room = pending.admit(third);
        assertThat(room.toCompletableFuture()).as("three pending, the bound").isNotDone();

        second.complete(null);
        assertThat(room.toCompletableFuture()).as("done out of order: the second").isCompleted();
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void waitingBatchIsAdmittedWhenTheOldestCompletesEvenIfItFailed() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        pending.admit(first);
        pending.admit(new CompletableFuture<>());
        CompletionStage<Void> room = pending.admit(new CompletableFuture<>());

        first.completeExceptionally(new IllegalStateException("failed batch, read again after the restart"));

        assertThat(room.toCompletableFuture()).isCompleted();
    }

    @Test
    void noBatchIsAdmittedWhileTheWritesOfAllPendingOnesStall() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        pending.admit(first);
        pending.admit(new CompletableFuture<>());
        CompletionStage<Void> room = pending.admit(new CompletableFuture<>());

        clock.advance(Duration.ofMinutes(3));

        assertThat(room.toCompletableFuture()).isNotDone();
        assertThat(pending.size()).isEqualTo(3);
        assertThat(pending.oldestWait()).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void oldestWaitIsTheAgeOfTheOldestUnacknowledgedBatchAndZeroWhenNoneIsPending() {
        assertThat(pending.oldestWait()).isZero();
        CompletableFuture<Void> first = new CompletableFuture<>();
        pending.admit(first);
        clock.advance(Duration.ofSeconds(4));
        pending.admit(new CompletableFuture<>());
        clock.advance(Duration.ofSeconds(6));

        assertThat(pending.oldestWait()).isEqualTo(Duration.ofSeconds(10));
        first.complete(null);
        assertThat(pending.oldestWait()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void boundBelowOneIsRefused() {
        assertThatThrownBy(() -> new PendingBatches(0, clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }

    private static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-12-06T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
