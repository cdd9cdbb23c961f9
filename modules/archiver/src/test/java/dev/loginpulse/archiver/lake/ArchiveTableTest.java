package dev.loginpulse.archiver.lake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.loginpulse.archiver.lake.ArchiveTable.Received;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** One table on a real local warehouse, with a hand-driven clock: rolling, resuming, failing and recovering. */
class ArchiveTableTest {

    private static final long ROLL_BYTES = 1000;
    private static final Duration ROLL_AGE = Duration.ofSeconds(60);

    @TempDir
    Path warehouse;

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private HadoopCatalog catalog;

    @BeforeEach
    void open() {
        catalog = Lake.catalog(warehouse.toString());
    }

    private Table table() {
        return Lake.table(catalog, LakeTables.LOGINS, LakeTables.LOGINS_SCHEMA, LakeTables.LOGINS_SPEC);
    }

    private ArchiveTable archive() {
        return new ArchiveTable(table(), Topics.USER_LOGIN_CLEAN, ROLL_BYTES, ROLL_AGE, Duration.ofSeconds(1),
                Duration.ofSeconds(4), clock::get, new SimpleMeterRegistry());
    }

    /** Logins at offsets [from, to) of a partition, 100 bytes each, raw source offset = offset + 1000. */
    private static List<Received> logins(int partition, long from, long to) {
        List<Received> batch = new ArrayList<>();
        for (long offset = from; offset < to; offset++) {
            long o = offset;
            CleanLogin login = new CleanLogin("2026-12-0" + (1 + o % 3) + "T10:00:00Z", o % 2 == 0 ? "TX" : "CA",
                    "ios", "u" + o, "1.0", "10.0.0.1", "d" + o);
            String source = partition + ":" + (o + 1000);
            batch.add(new Received(partition, o, source, 100,
                    () -> LakeTables.login(login, partition, o, source)));
        }
        return batch;
    }

    private List<Long> offsets(int partition) throws IOException {
        Table table = table();
        List<Long> offsets = new ArrayList<>();
        try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
            for (Record row : rows) {
                if ((int) row.getField(LakeTables.KAFKA_PARTITION) == partition) {
                    offsets.add((Long) row.getField(LakeTables.KAFKA_OFFSET));
                }
            }
        }
        return offsets.stream().sorted().toList();
    }

    private static List<Long> range(long from, long to) {
        List<Long> list = new ArrayList<>();
        for (long i = from; i < to; i++) {
            list.add(i);
        }
        return list;
    }

    @Test
    void rowsAreCommittedOnceTheirBytesReachTheRollSizeWithTheNextOffsetsInTheSummary() throws IOException {
        ArchiveTable archive = archive();
        archive.append(logins(0, 0, 9)); // 900 bytes: below the roll size
        assertThat(offsets(0)).isEmpty();
        archive.append(logins(0, 9, 12)); // 1,200 bytes
        assertThat(offsets(0)).isEqualTo(range(0, 12));
        assertThat(table().currentSnapshot().summary())
                .containsEntry("pulse.offsets.user-login-clean.0", "12")
                .containsEntry("pulse.sources.user-login-clean.0.0", "1011")
                .containsEntry(ArchiveTable.ROWS_SUMMARY, "12");
        // three days times two locales: one file per partition of the table
        assertThat(table().currentSnapshot().addedDataFiles(table().io())).hasSize(6);
    }

    @Test
    void rowsAreCommittedOnceTheFirstOfThemIsAsOldAsTheRollAge() throws IOException {
        ArchiveTable archive = archive();
        archive.append(logins(1, 0, 3));
        clock.addAndGet(ROLL_AGE.toMillis() - 1);
        archive.tick();
        assertThat(offsets(1)).isEmpty();
        clock.addAndGet(1);
        archive.tick();
        assertThat(offsets(1)).isEqualTo(range(0, 3));
    }

    @Test
    void aBatchArrivingWhenTheFirstBufferedRowIsAsOldAsTheRollAgeCommitsWithoutWaitingForATick() throws IOException {
        ArchiveTable archive = archive();
        archive.append(logins(1, 0, 3));
        clock.addAndGet(ROLL_AGE.toMillis());
        archive.append(logins(1, 3, 4));
        assertThat(offsets(1)).isEqualTo(range(0, 4));
    }

    @Test
    void aRestartedArchiveResumesFromTheTableAndSkipsWhatItHoldsAndTheCleanersRedeliveries() throws IOException {
        ArchiveTable first = archive();
        first.append(logins(0, 0, 12));
        first.append(logins(0, 12, 14)); // buffered only: lost with the instance, as in a SIGKILL
        assertThat(offsets(0)).isEqualTo(range(0, 12));

        ArchiveTable second = archive();
        assertThat(second.resumeAt(0)).isEqualTo(12);
        // a consumer that starts earlier (e.g. from the group's offsets) re-reads 5..13; the cleaner re-delivered raw
        // 1005..1009 at clean offsets 14..18 after a crash of its own
        List<Received> batch = new ArrayList<>(logins(0, 5, 14));
        for (long offset = 14; offset < 19; offset++) {
            long o = offset;
            CleanLogin login = new CleanLogin("2026-12-01T10:00:00Z", "TX", "ios", "again", "1.0", "ip", "d");
            batch.add(new Received(0, o, "0:" + (o - 14 + 1005), 100, () -> LakeTables.login(login, 0, o, null)));
        }
        second.append(batch);
        second.flushNow();
        assertThat(offsets(0)).isEqualTo(range(0, 14));
        assertThat(second.resumeAt(0)).isEqualTo(19);
        assertThat(ArchiveTable.readPositions(table(), Topics.USER_LOGIN_CLEAN).next(0)).isEqualTo(19);
    }

    @Test
    void anUnwritableWarehouseKeepsTheRowsReportsTheFailureAndCommitsThemOnceItIsBack() throws IOException {
        ArchiveTable archive = archive();
        archive.append(logins(2, 0, 3));
        // the table's data directory becomes a regular file: no data file can be created below it, not even by root
        Path data = warehouse.resolve("pulse/logins/data");
        Files.createDirectories(data.getParent());
        deleteTree(data);
        Files.writeString(data, "not a directory");
        clock.addAndGet(ROLL_AGE.toMillis());
        archive.tick();
        assertThat(archive.failure()).contains("cannot write logins");
        assertThat(archive.bufferedRows()).isEqualTo(3);
        assertThat(offsets(2)).isEmpty();

        clock.addAndGet(1000); // first back-off: 1 s; it fails again, the next back-off is 2 s
        archive.tick();
        assertThat(archive.failure()).isNotNull();
        Files.delete(data);
        clock.addAndGet(1999);
        archive.tick();
        assertThat(archive.failure()).as("still backing off").isNotNull();
        clock.addAndGet(1);
        archive.tick();
        assertThat(archive.failure()).isNull();
        assertThat(archive.bufferedRows()).isZero();
        assertThat(offsets(2)).isEqualTo(range(0, 3));
    }

    @Test
    void aCommitThatFailsAfterSomeOfItsFilesWereWrittenDeletesThemAndWritesEveryRowAgainOnTheNextAttempt()
            throws IOException {
        ArchiveTable archive = archive();
        archive.append(logins(1, 0, 6)); // three days, two locales: six files
        // one day's partition directory cannot be created: the other files are written, then the commit fails
        Path blocked = warehouse.resolve("pulse/logins/data/timestamp_day=2026-12-03");
        Files.createDirectories(blocked.getParent());
        Files.writeString(blocked, "not a directory");
        assertThat(archive.flushNow()).isFalse();
        assertThat(archive.failure()).contains("cannot write logins");
        assertThat(parquetFiles()).as("files of the failed commit").isEmpty();

        Files.delete(blocked);
        assertThat(archive.flushNow()).isTrue();
        assertThat(offsets(1)).isEqualTo(range(0, 6));
        List<String> listed = new ArrayList<>();
        table().currentSnapshot().addedDataFiles(table().io())
                .forEach(file -> listed.add(Path.of(java.net.URI.create(file.location())).toString()));
        assertThat(parquetFiles()).containsExactlyInAnyOrderElementsOf(listed).hasSize(6);
    }

    /** The Parquet files under the table's data directory. */
    private List<String> parquetFiles() throws IOException {
        Path data = warehouse.resolve("pulse/logins/data");
        if (!Files.isDirectory(data)) {
            return List.of();
        }
        try (var walk = Files.walk(data)) {
            return walk.filter(path -> path.toString().endsWith(".parquet")).map(Path::toString).toList();
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
