package dev.loginpulse.cleaner.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The cleaner's bound on batches in flight: batches cleaned and handed to the producers whose writes the broker has not
 * yet acknowledged. {@link #admit} returns a stage that completes once there is room for the next batch; the consuming
 * method returns it, so SmallRye requests no further batch until then and the Kafka consumer pauses its partitions.
 * An outage of the clean or dead-letter topic therefore stops consumption after {@code max} batches, with the
 * logins left in Kafka, rather than filling the heap or failing the writes. Thread-safe.
 */
public final class PendingBatches {

    private final int max;
    private final Clock clock;
    private final Deque<Pending> pending = new ArrayDeque<>();

    private record Pending(Instant since, CompletableFuture<Void> done) {
    }

    public PendingBatches(int max, Clock clock) {
        if (max < 1) {
            throw new IllegalArgumentException("at least one pending batch must be allowed, not " + max);
        }
        this.max = max;
        this.clock = clock;
    }

    /**
     * Tracks the batch whose writes complete {@code done} (normally or not) and returns a stage that completes when
     * fewer than {@code max} batches are pending: at once, or when enough of the older ones are done.
     */
    public synchronized CompletionStage<Void> admit(CompletableFuture<Void> done) {
        pending.addLast(new Pending(clock.instant(), done));
        return awaitRoom();
    }

    private synchronized CompletionStage<Void> awaitRoom() {
        purge();
        if (pending.size() < max) {
            return CompletableFuture.completedFuture(null);
        }
        // Look again once any of them is done, normally or not (each batch is acknowledged or failed on its own).
        CompletableFuture<Void> room = new CompletableFuture<>();
        CompletableFuture.anyOf(pending.stream().map(Pending::done).toArray(CompletableFuture[]::new))
                .whenComplete((ignored, failure) -> room.complete(null));
        return room.thenCompose(ignored -> awaitRoom());
    }

    /** Batches whose writes are not all acknowledged yet. */
    public synchronized int size() {
        purge();
        return pending.size();
    }

    /** How long the oldest pending batch has waited for its acknowledgements; zero when none is pending. */
    public synchronized Duration oldestWait() {
        purge();
        Pending oldest = pending.peekFirst();
        return oldest == null ? Duration.ZERO : Duration.between(oldest.since(), clock.instant());
    }

    private void purge() {
        pending.removeIf(batch -> batch.done().isDone());
    }
}
