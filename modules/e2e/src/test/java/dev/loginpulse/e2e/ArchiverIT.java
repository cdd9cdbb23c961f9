package dev.loginpulse.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The archiver under faults: 200,000 raw logins through cleaner, stats and archiver while the archiver is killed with
 * SIGKILL three times (each time once the running instance has committed logins; it commits every second, so each
 * kill lands among its writes) and the broker once. Afterwards
 * the {@code logins} table, read by DuckDB from the files Iceberg lists for its current snapshot, holds exactly the
 * ground truth's clean logins per (day, state); the {@code state_windows} table, by its rule (highest revision wins,
 * docs/lake.md) and read with Iceberg's own scan, holds every (state, window) figure of the ground truth; and
 * {@code dead_letters} holds every dead letter of the topic once, which are exactly the uncleanable records.
 */
@SecondLane // crashes and recovery
class ArchiverIT extends PipelineTest {

    private static final int EVENTS = 200_000;
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(4);
    private static final String NAMESPACE = "pulse";

    private final Path warehouse = Path.of(System.getProperty("pulse.home", "../.."))
            .resolve("modules/e2e/target/archiver-lake-" + UUID.randomUUID()).toAbsolutePath().normalize();

    @Override
    protected PipelineOptions options() {
        return PipelineSupport.options("archiver")
                .broker(builder -> builder.childProcess(true))
                .services(List.of(Service.CLEANER, Service.STATS, Service.ARCHIVER))
                .env(Service.ARCHIVER, "PULSE_ARCHIVER_WAREHOUSE", warehouse.toString())
                .env(Service.ARCHIVER, "PULSE_ARCHIVER_ROLL_AGE", "PT1S")
                .env(Service.ARCHIVER, "PULSE_ARCHIVER_TICK", "0.2s");
    }

    @Test
    void killingTheArchiverThreeTimesAndRestartingTheBrokerLeavesTheLakeExact() throws Exception {
        LoginStream stream = new LoginStream(7);
        AtomicLong acknowledged = new AtomicLong();
        Instant started = Instant.now();
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> PipelineSupport.produceAtPipelinePace(pipeline,
                stream, EVENTS, 10_000, 30_000, SETTLE_TIMEOUT, acknowledged));

        List<String> faults = new ArrayList<>();
        Object[][] schedule = { { 0.20, Service.ARCHIVER }, { 0.40, "broker" }, { 0.55, Service.ARCHIVER },
                { 0.80, Service.ARCHIVER } };
        for (Object[] fault : schedule) {
            long threshold = (long) ((double) fault[0] * EVENTS);
            await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> acknowledged.get() >= threshold || producing.isDone());
            if (fault[1] instanceof Service service) {
                // while it writes: this instance has committed logins already and more are coming
                await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                        .until(() -> loginCommits() >= 1);
                pipeline.killService(service);
                pipeline.startService(service);
                faults.add("kill -9 " + service.moduleName() + " at " + acknowledged.get());
            } else {
                pipeline.broker().kill();
                pipeline.broker().start();
                faults.add("kill -9 broker at " + acknowledged.get());
            }
        }
        producing.get(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(acknowledged.get()).isEqualTo(EVENTS);

        HadoopCatalog catalog = new HadoopCatalog();
        catalog.setConf(new Configuration());
        catalog.initialize("pulse", Map.of("warehouse", warehouse.toUri().toString()));

        Map<String, Long> truth = new TreeMap<>(stream.cleanByDayAndState());
        await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> assertThat(loginsByDayAndState(catalog)).isEqualTo(truth));
        Duration settled = Duration.between(started, Instant.now());

        await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> assertThat(stream.windows().differences(latestWindows(catalog), 10)).isEmpty());

        long deadLetterRecords = PipelineSupport.endOffsets(pipeline, Topics.USER_LOGIN_DLQ);
        await().atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> assertThat(read(catalog, "dead_letters")).hasSize((int) deadLetterRecords));
        List<Record> deadLetters = read(catalog, "dead_letters");
        Set<String> kafkaPositions = new HashSet<>();
        Set<String> rawSources = new HashSet<>();
        for (Record row : deadLetters) {
            kafkaPositions.add(row.getField("kafka_partition") + ":" + row.getField("kafka_offset"));
            rawSources.add(row.getField("source_partition") + ":" + row.getField("source_offset"));
        }
        System.out.printf("Archiver run: %d events, %d clean, %d dead letters (%d records), faults %s, exact after %d s%n",
                EVENTS, stream.cleanCount(), stream.deadLetterCount(), deadLetterRecords, faults, settled.toSeconds());
        assertThat(kafkaPositions).as("dead-letter records archived once each").hasSize((int) deadLetterRecords);
        assertThat(rawSources).as("distinct raw records dead-lettered").hasSize((int) stream.deadLetterCount());
        assertThat(PipelineSupport.status(pipeline, Service.ARCHIVER, "/q/health/ready")).isEqualTo(200);
    }

    /** The commits of the {@code logins} table by the running archiver instance, from its metrics. */
    private long loginCommits() throws Exception {
        String metrics = PipelineSupport.get(pipeline.url(Service.ARCHIVER).resolve("/q/metrics")).body();
        return metrics.lines().filter(line -> line.startsWith("pulse_archiver_commits_total{table=\"logins\"}"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    /** Clean logins per {@code <day> <state>}, counted by DuckDB in the Parquet files of the current snapshot. */
    private static Map<String, Long> loginsByDayAndState(HadoopCatalog catalog) throws Exception {
        Table table = catalog.loadTable(TableIdentifier.of(NAMESPACE, "logins"));
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> files.add("'" + task.file().location().replace("file:", "") + "'"));
        }
        Map<String, Long> counts = new TreeMap<>();
        if (files.isEmpty()) {
            return counts;
        }
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet result = statement.executeQuery("SELECT strftime(make_date(1970, 1, 1)"
                        + " + CAST(epoch_ms(\"timestamp\") // 86400000 AS INTEGER), '%Y-%m-%d') AS day, locale, count(*)"
                        + " FROM read_parquet([" + String.join(", ", files) + "]) GROUP BY day, locale")) {
            while (result.next()) {
                counts.put(result.getString(1) + " " + result.getString(2), result.getLong(3));
            }
        }
        return counts;
    }

    /** The final figures of each (state, window start): the row of highest revision (docs/lake.md). */
    private static Map<String, Map<Long, StateStats>> latestWindows(HadoopCatalog catalog) throws IOException {
        Map<String, Map<Long, Record>> latest = new HashMap<>();
        for (Record row : read(catalog, "state_windows")) {
            long start = ((OffsetDateTime) row.getField("window_start")).toInstant().toEpochMilli();
            latest.computeIfAbsent((String) row.getField("state"), s -> new HashMap<>()).merge(start, row,
                    (kept, candidate) -> (Long) candidate.getField("revision") > (Long) kept.getField("revision")
                            ? candidate
                            : kept);
        }
        Map<String, Map<Long, StateStats>> figures = new HashMap<>();
        latest.forEach((state, windows) -> windows.forEach((start, row) -> figures
                .computeIfAbsent(state, s -> new HashMap<>()).put(start, new StateStats(state,
                        Instant.ofEpochMilli(start).toString(),
                        ((OffsetDateTime) row.getField("window_end")).toInstant().toString(),
                        (Long) row.getField("logins"), (Long) row.getField("unique_users"),
                        (Long) row.getField("total_logins"), String.valueOf(row.getField("last_login")),
                        (Long) row.getField("late_logins")))));
        return figures;
    }

    private static List<Record> read(HadoopCatalog catalog, String name) throws IOException {
        Table table = catalog.loadTable(TableIdentifier.of(NAMESPACE, name));
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> scan = IcebergGenerics.read(table).build()) {
            scan.forEach(row -> rows.add(row.copy()));
        }
        return rows;
    }
}
