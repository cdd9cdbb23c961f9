package dev.loginpulse.dashboard.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.loginpulse.dashboard.model.StatsBoard;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.SourceIntegrity;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import io.smallrye.common.annotation.NonBlocking;

/**
 * Feeds every record of {@link Topics#USER_LOGIN_STATS}, {@link Topics#USER_LOGIN_INSIGHTS},
 * {@link Topics#USER_LOGIN_STATE_INSIGHTS} and {@link Topics#USER_LOGIN_INTEGRITY} into the {@link StatsBoard}, and counts
 * {@link Topics#USER_LOGIN_DLQ}. Each dashboard
 * instance reads the
 * whole topic from the beginning under its own consumer group, so every replica (and every restart) rebuilds the full
 * picture. A record that cannot be deserialized arrives as {@code null} and is skipped.
 */
@ApplicationScoped
public class StatsConsumer {

    /** Channel of per-state stats, bound to {@link Topics#USER_LOGIN_STATS}. */
    public static final String CHANNEL = Topics.USER_LOGIN_STATS;
    /** Channel of the insights of all states, bound to {@link Topics#USER_LOGIN_INSIGHTS}. */
    public static final String INSIGHTS_CHANNEL = Topics.USER_LOGIN_INSIGHTS;
    /** Channel of each state's mix per window, bound to {@link Topics#USER_LOGIN_STATE_INSIGHTS}. */
    public static final String STATE_INSIGHTS_CHANNEL = Topics.USER_LOGIN_STATE_INSIGHTS;
    /** Channel of stats' integrity counts, bound to {@link Topics#USER_LOGIN_INTEGRITY}. */
    public static final String INTEGRITY_CHANNEL = Topics.USER_LOGIN_INTEGRITY;
    /** Channel of dead letters, bound to {@link Topics#USER_LOGIN_DLQ}; only counted. */
    public static final String DEAD_LETTER_CHANNEL = Topics.USER_LOGIN_DLQ;

    private final StatsBoard board;

    public StatsConsumer(StatsBoard board) {
        this.board = board;
    }

    @Incoming(CHANNEL)
    @NonBlocking
    public void onStats(StateStats stats) {
        board.apply(stats);
    }

    /** Feeds an insight record (device mix, app versions, distinct counts, top IPs) into the board. */
    @Incoming(INSIGHTS_CHANNEL)
    @NonBlocking
    public void onInsight(Insight insight) {
        board.apply(insight);
    }

    /** Feeds a state's device types, app versions and top IPs of one window into the board. */
    @Incoming(STATE_INSIGHTS_CHANNEL)
    @NonBlocking
    public void onStateInsights(StateInsights insights) {
        board.apply(insights);
    }

    /** Feeds the dropped-record counts of one {@code user-login-clean} partition into the board. */
    @Incoming(INTEGRITY_CHANNEL)
    @NonBlocking
    public void onIntegrity(SourceIntegrity integrity) {
        board.apply(integrity);
    }

    /** Counts a dead letter; the message form also accepts records without a value (dead-lettered tombstones). */
    @Incoming(DEAD_LETTER_CHANNEL)
    public CompletionStage<Void> onDeadLetter(Message<byte[]> deadLetter) {
        board.deadLettered();
        return deadLetter.ack();
    }
}
