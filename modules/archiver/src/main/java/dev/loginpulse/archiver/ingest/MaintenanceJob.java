package dev.loginpulse.archiver.ingest;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.loginpulse.archiver.config.ArchiverConfig;
import dev.loginpulse.archiver.lake.ArchiveTable;
import dev.loginpulse.archiver.lake.Lake;
import dev.loginpulse.archiver.lake.Maintenance;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;

/** The scheduled housekeeping of every table: compaction, retention, snapshot expiry ({@link Maintenance}). */
@ApplicationScoped
public class MaintenanceJob {

    private static final Logger LOG = Logger.getLogger(MaintenanceJob.class);

    private final Lake lake;
    private final ArchiverConfig config;
    private final MeterRegistry registry;

    public MaintenanceJob(Lake lake, ArchiverConfig config, MeterRegistry registry) {
        this.lake = lake;
        this.config = config;
        this.registry = registry;
    }

    @Scheduled(every = "${pulse.archiver.maintenance-every:1h}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        for (ArchiveTable table : lake.all()) {
            try {
                table.maintain(iceberg -> {
                    int compacted = Maintenance.compact(iceberg, config.compactTargetBytes());
                    int dropped = Maintenance.dropPastRetention(iceberg, config.retentionDays(), Instant.now());
                    Maintenance.expireSnapshots(iceberg, Instant.now().minus(config.snapshotMaxAge()));
                    registry.counter("pulse.archiver.maintenance.compacted.files", "table", table.name())
                            .increment(compacted);
                    registry.counter("pulse.archiver.maintenance.dropped.files", "table", table.name())
                            .increment(dropped);
                    LOG.infof("%s: %d small files compacted, %d files past retention dropped", table.name(),
                            compacted, dropped);
                });
            } catch (Exception e) {
                registry.counter("pulse.archiver.errors", "table", table.name()).increment();
                LOG.errorf(e, "%s: maintenance failed; the table is unchanged by the failed step", table.name());
            }
        }
    }
}
