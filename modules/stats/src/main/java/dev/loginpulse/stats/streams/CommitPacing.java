package dev.loginpulse.stats.streams;

import java.time.Duration;

import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Paces the commits that publications request. Each processor asks for a commit right after it publishes, so that
 * read_committed readers see the figures at once. On a single broker a commit takes a few milliseconds and pacing
 * changes nothing. When commits are slow (acks=all on a replicated cluster, a starved machine), a commit after every
 * publication makes Kafka Streams process about a record per task between two commits: on 3 KRaft nodes sharing 2
 * cores, stats fell to about 10 logins/s (docs/stats-engine.md).
 * <p>
 * So each stream thread (whose tasks commit together, in one transaction) measures how long it takes from a granted
 * request to the next record it processes, the commit mostly, and grants requests at most so often that commits take
 * at most {@code maxCommitShare} of its time; Kafka Streams' commit interval stays the backstop. A publication whose
 * request is not granted is committed by the next granted one or by the commit interval.
 */
public final class CommitPacing {

    private static final double SMOOTHING = 0.3;

    private final long minGapMs;
    private final long maxGapMs;
    private final double factor;
    private final ThreadLocal<Pacer> pacers = ThreadLocal.withInitial(Pacer::new);

    /**
     * @param emitInterval how often processors publish: the shortest gap between granted requests
     * @param maxGap the longest gap between granted requests, however slow commits are
     * @param maxCommitShare the share of a stream thread's time commits may take, in (0, 1]; 1 grants every request
     */
    public CommitPacing(Duration emitInterval, Duration maxGap, double maxCommitShare) {
        if (!(maxCommitShare > 0 && maxCommitShare <= 1)) {
            throw new IllegalArgumentException("pulse.stats.max-commit-share must be in (0, 1]: " + maxCommitShare);
        }
        this.minGapMs = maxCommitShare == 1 ? 0 : emitInterval.toMillis();
        this.maxGapMs = Math.max(minGapMs, maxGap.toMillis());
        this.factor = maxCommitShare == 1 ? 0 : 1 / maxCommitShare;
    }

    /** Every request granted, as before pacing: for tests that drive processors by hand. */
    public static CommitPacing unpaced() {
        return new CommitPacing(Duration.ZERO, Duration.ZERO, 1);
    }

    /** Requests a commit for what the caller has just published, if the calling thread's pace allows it now. */
    void requestCommit(ProcessorContext<?, ?> context) {
        if (pacers.get().grant(context.currentSystemTimeMs())) {
            context.commit();
        }
    }

    /** A record is being processed at {@code now} (the context's wall-clock time): measures a commit just granted. */
    void processing(long now) {
        pacers.get().processing(now);
    }

    /** A punctuation runs at {@code now}: a thread that punctuates before it processes again was idle, no sample. */
    void punctuating(long now) {
        pacers.get().punctuating(now);
    }

    /** The gap the calling thread now keeps between granted requests, in milliseconds. */
    long currentGapMs() {
        return pacers.get().gap();
    }

    /** One stream thread's pace. */
    private final class Pacer {
        private long lastGrant = Long.MIN_VALUE;
        private long grantedAt = -1;
        private double commitMs;

        boolean grant(long now) {
            if (lastGrant != Long.MIN_VALUE && now - lastGrant < gap()) {
                return false;
            }
            lastGrant = now;
            grantedAt = now;
            return true;
        }

        void processing(long now) {
            if (grantedAt >= 0 && now >= grantedAt) {
                commitMs += SMOOTHING * ((now - grantedAt) - commitMs);
                grantedAt = -1;
            }
        }

        void punctuating(long now) {
            if (grantedAt >= 0 && now > grantedAt) {
                grantedAt = -1;
            }
        }

        long gap() {
            return Math.min(maxGapMs, Math.max(minGapMs, Math.round(commitMs * factor)));
        }
    }
}
