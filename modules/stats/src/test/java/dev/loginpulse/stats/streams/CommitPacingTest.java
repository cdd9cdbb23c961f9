package dev.loginpulse.stats.streams;

import java.time.Duration;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

class CommitPacingTest {

    private static final Duration EMIT = Duration.ofMillis(100);
    private static final Duration MAX_GAP = Duration.ofSeconds(1);

    @Test
    void fastCommitsLeaveEveryPublicationsRequestGrantedOncePerEmitInterval() {
        CommitPacing pacing = new CommitPacing(EMIT, MAX_GAP, 0.2);
        int granted = 0;
        // a publication every 100 ms; each granted commit is followed by a record 2 ms later
        for (long now = 0; now < 10_000; now += 100) {
            if (grant(pacing, now)) {
                granted++;
                pacing.processing(now + 2);
            }
        }
        assertThat(granted).isEqualTo(100);
        assertThat(pacing.currentGapMs()).isEqualTo(100);
    }

    @Test
    void commitsTakingThreeHundredMillisecondsAreGrantedOncePerCommitIntervalInsteadOfAtEveryPublication() {
        CommitPacing pacing = new CommitPacing(EMIT, MAX_GAP, 0.2);
        long now = 0;
        long committing = 0;
        int granted = 0;
        long settled = 10_000;
        // punctuations every 100 ms of processing; a granted commit takes 300 ms before the next record
        while (now < settled + 60_000) {
            pacing.punctuating(now);
            if (grant(pacing, now)) {
                now += 300;
                if (now > settled) {
                    granted++;
                    committing += 300;
                }
                pacing.processing(now);
            }
            now += 100;
        }
        // a fifth would take a grant every 5 x 300 ms; the gap is capped at the commit interval (1 s), the backstop
        // that commits anyway: a grant every second, 300 ms of commit and 700 ms of processing
        assertThat(pacing.currentGapMs()).isEqualTo(1_000);
        assertThat(granted).isBetween(59, 61);
        assertThat((double) committing / (now - settled)).isCloseTo(0.3, within(0.01));
    }

    @Test
    void aPunctuationBeforeTheNextRecordMeansTheThreadWasIdleAndGivesNoSample() {
        CommitPacing pacing = new CommitPacing(EMIT, MAX_GAP, 0.2);
        assertThat(grant(pacing, 0)).isTrue();
        pacing.punctuating(100); // no record came: the thread polled, idle
        pacing.processing(5_000); // a record much later: not a commit's duration
        assertThat(pacing.currentGapMs()).isEqualTo(100);
        assertThat(grant(pacing, 5_000)).isTrue();
    }

    @Test
    void unpacedGrantsEveryRequestWhateverTheCommitsCost() {
        CommitPacing pacing = CommitPacing.unpaced();
        for (long now = 0; now < 1_000; now += 10) {
            assertThat(grant(pacing, now)).isTrue();
            pacing.processing(now + 500);
        }
    }

    @Test
    void aShareOutsideZeroToOneIsRefusedNamingTheKey() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new CommitPacing(EMIT, MAX_GAP, 0))
                .withMessageContaining("pulse.stats.max-commit-share");
    }

    private static boolean grant(CommitPacing pacing, long now) {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(now);
        pacing.requestCommit(context);
        return context.committed();
    }
}
