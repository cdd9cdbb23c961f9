package dev.loginpulse.archiver.lake;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loginpulse.archiver.lake.ArchiveTable.Received;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** Compaction, retention and snapshot expiry on a real local warehouse. */
class MaintenanceTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path warehouse;

    private final AtomicLong clock = new AtomicLong();

    private Table table(HadoopCatalog catalog) {
        return Lake.table(catalog, LakeTables.LOGINS, LakeTables.LOGINS_SCHEMA, LakeTables.LOGINS_SPEC);
    }

    /** Commits logins at offsets [from, to) of partition 0, alternating between two days, in one commit. */
    private static void commit(ArchiveTable archive, long from, long to, String dayA, String dayB) {
        List<Received> batch = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            long o = offset;
            CleanLogin login = new CleanLogin((o % 2 == 0 ? dayA : dayB) + "T08:00:00Z", "TX", "ios", "u" + o, "1",
                    "ip", "d");
            batch.add(new Received(0, o, "0:" + o, 10, () -> LakeTables.login(login, 0, o, "0:" + o)));
        }
        archive.append(batch);
        assertThat(archive.flushNow()).isTrue();
    }

    private static List<Long> offsets(Table table) throws IOException {
        table.refresh();
        List<Long> offsets = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            rows.forEach(row -> offsets.add((Long) row.getField(LakeTables.KAFKA_OFFSET)));
        }
        return offsets.stream().sorted().toList();
    }

    private static int files(Table table) throws IOException {
        table.refresh();
        int files = 0;
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask ignored : tasks) {
                files++;
            }
        }
        return files;
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i < to; i++) {
            list.add(i);
        }
        return list;
    }

    private ArchiveTable archive(HadoopCatalog catalog) {
        return new ArchiveTable(table(catalog), Topics.USER_LOGIN_CLEAN, Long.MAX_VALUE, Duration.ofHours(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), clock::get, new SimpleMeterRegistry());
    }

    @Test
    void compactionLeavesTheRowsAndTheResumePositionsAsTheyWereInOneFilePerPartition() throws IOException {
        HadoopCatalog catalog = Lake.catalog(warehouse.toString());
        ArchiveTable archive = archive(catalog);
        commit(archive, 0, 10, "2026-12-01", "2026-12-02");
        commit(archive, 10, 20, "2026-12-01", "2026-12-02");
        commit(archive, 20, 30, "2026-12-01", "2026-12-02");
        Table table = table(catalog);
        assertThat(files(table)).isEqualTo(6);
        Positions before = ArchiveTable.readPositions(table, Topics.USER_LOGIN_CLEAN);

        assertThat(Maintenance.compact(table, 64L << 20)).isEqualTo(6);

        assertThat(files(table)).isEqualTo(2);
        assertThat(offsets(table)).isEqualTo(range(0, 30));
        assertThat(table.currentSnapshot().operation()).isEqualTo("replace");
        assertThat(Positions.fromSummary(Topics.USER_LOGIN_CLEAN, table.currentSnapshot().summary()))
                .as("the newest snapshot carries the positions").isEqualTo(before);
        // a restarted archive resumes after offset 29 and keeps skipping the cleaner's re-deliveries
        ArchiveTable restarted = archive(Lake.catalog(warehouse.toString()));
        assertThat(restarted.resumeAt(0)).isEqualTo(30);
        assertThat(Maintenance.compact(table, 64L << 20)).as("nothing small left to merge").isZero();
    }

    @Test
    void retentionDropsOnlyTheDaysPastItAndExpiryKeepsTheNewestSnapshotWithThePositions() throws IOException {
        HadoopCatalog catalog = Lake.catalog(warehouse.toString());
        ArchiveTable archive = archive(catalog);
        // 2026-12-07 minus 365 days is 2025-12-07: 2025-12-06 is past retention, 2025-12-07 is the first day kept
        commit(archive, 0, 10, "2025-12-06", "2025-12-07");
        commit(archive, 10, 20, "2025-11-01", "2026-12-06");
        Table table = table(catalog);
        Positions before = ArchiveTable.readPositions(table, Topics.USER_LOGIN_CLEAN);

        assertThat(Maintenance.dropPastRetention(table, 365, NOW)).isEqualTo(2);

        List<Long> kept = new ArrayList<>();
        for (long o = 0; o < 20; o++) {
            if (o % 2 == 1) { // the second day of each commit: 2025-12-07 and 2026-12-06
                kept.add(o);
            }
        }
        assertThat(offsets(table)).isEqualTo(kept);
        assertThat(Maintenance.dropPastRetention(table, 365, NOW)).isZero();

        Maintenance.expireSnapshots(table, Instant.now().plusSeconds(1));
        table.refresh();
        assertThat(table.snapshots()).hasSize(1);
        assertThat(offsets(table)).isEqualTo(kept);
        assertThat(ArchiveTable.readPositions(table, Topics.USER_LOGIN_CLEAN)).isEqualTo(before);
    }
}
