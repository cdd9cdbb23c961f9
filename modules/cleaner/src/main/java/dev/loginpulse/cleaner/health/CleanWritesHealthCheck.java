package dev.loginpulse.cleaner.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.loginpulse.cleaner.config.CleanerConfig;
import dev.loginpulse.cleaner.messaging.LoginCleaningProcessor;
import dev.loginpulse.cleaner.messaging.PendingBatches;

/**
 * Not ready while the cleaner's writes are stalled: its oldest pending batch has waited longer than
 * {@code pulse.cleaner.write-stall-timeout} for the broker's acknowledgements (a partition of the clean or dead-letter
 * topic without a leader or without enough in-sync replicas). Readiness only: the cleaner resumes by itself once the
 * writes go through, so nothing should restart it.
 */
@Readiness
@ApplicationScoped
public class CleanWritesHealthCheck implements HealthCheck {

    /** Name of the check in {@code /q/health}. */
    public static final String NAME = "clean-writes";

    private final PendingBatches pending;
    private final Duration stallTimeout;

    public CleanWritesHealthCheck(LoginCleaningProcessor processor, CleanerConfig config) {
        this.pending = processor.pending();
        this.stallTimeout = config.writeStallTimeout();
    }

    @Override
    public HealthCheckResponse call() {
        Duration oldest = pending.oldestWait();
        return HealthCheckResponse.named(NAME)
                .status(oldest.compareTo(stallTimeout) <= 0)
                .withData("pending-batches", pending.size())
                .withData("oldest-pending-ms", oldest.toMillis())
                .build();
    }
}
