package dev.loginpulse.archiver.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.loginpulse.archiver.lake.Lake;
import dev.loginpulse.archiver.lake.LakeTables;
import dev.loginpulse.archiver.lake.StateWindowRule;
import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

/**
 * The archiver against a real broker: known clean logins (with a re-delivery by the cleaner), stats publications and
 * dead letters in; the tables read back with Iceberg's own scan and, for the logins, with DuckDB reading the current
 * Parquet files; then a warehouse that cannot be written (a regular file where a partition directory must go).
 */
@QuarkusTest
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiverTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String[] STATES = { "TX", "CA", "NY", "UNK" };

    KafkaBroker broker;

    @Inject
    Lake lake;

    /** Every clean login sent once (the re-deliveries are not in here). */
    private final List<CleanLogin> logins = new ArrayList<>();
    private KafkaProducer<String, byte[]> producer;
    private static final int RAW_RECORDS = 200;

    @BeforeAll
    void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
        // raw records 0:0..0:199, the sources the clean logins below name: offsets beyond them are refused
        for (int i = 0; i < RAW_RECORDS; i++) {
            producer.send(new ProducerRecord<>(Topics.USER_LOGIN, 0, null, new byte[] { 1 }));
        }
        producer.flush();
    }

    private void sendLogin(CleanLogin login, String source) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.USER_LOGIN_CLEAN, login.locale(),
                Json.MAPPER.writeValueAsBytes(login));
        if (source != null) {
            record.headers().add(Topics.SOURCE_OFFSET, source.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get(30, TimeUnit.SECONDS);
    }

    private static CleanLogin login(int i, String day) {
        return new CleanLogin(day + "T10:" + String.format("%02d", i % 60) + ":00Z", STATES[i % STATES.length],
                i % 2 == 0 ? "ios" : "android", "user-" + (i % 7), "2.3." + (i % 3), "10.0.0." + i, "device-" + i);
    }

    @Test
    @Order(1)
    void everyLoginWindowAndDeadLetterIsArchivedOnceAndTheLatestWindowFiguresWin() throws Exception {
        for (int i = 0; i < 40; i++) {
            CleanLogin login = login(i, i < 25 ? "2026-12-01" : "2026-12-02");
            logins.add(login);
            sendLogin(login, "0:" + i);
        }
        // the cleaner crashed and re-sent raw 0:3..0:5: the same logins with the same source header
        for (int i = 3; i <= 5; i++) {
            sendLogin(logins.get(i), "0:" + i);
        }
        // a login written by something else than the cleaner: no source header, archived as it is
        CleanLogin direct = new CleanLogin("2026-12-02T23:59:59Z", "TX", "web", "migrated", "1.0", "unknown",
                "unknown");
        logins.add(direct);
        sendLogin(direct, null);
        // logins no cleaner can have written: a source offset far past the end of raw partition 0 (it would make every
        // later login of that partition look like a re-delivery) and a source header that is not <partition>:<offset>
        sendLogin(login(98, "2026-12-02"), "0:" + Long.MAX_VALUE);
        sendLogin(login(99, "2026-12-02"), "zero:1");
        // the next login of raw partition 0 is archived all the same
        CleanLogin next = login(40, "2026-12-02");
        logins.add(next);
        sendLogin(next, "0:40");

        // TX's window is re-published as it fills; CA's once
        sendStats(new StateStats("TX", "2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z", 1, 1, 1,
                "2026-12-01T10:00:00Z"));
        sendStats(new StateStats("TX", "2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z", 3, 2, 3,
                "2026-12-01T10:00:30Z"));
        sendStats(new StateStats("CA", "2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z", 5, 4, 9,
                "2026-12-01T10:00:50Z"));
        sendStats(new StateStats("TX", "2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z", 4, 3, 4,
                "2026-12-01T10:00:40Z", 1));

        ProducerRecord<String, byte[]> letter = new ProducerRecord<>(Topics.USER_LOGIN_DLQ, null,
                Instant.parse("2026-12-01T12:00:00Z").toEpochMilli(), "k1", "{not json".getBytes(
                        StandardCharsets.UTF_8));
        letter.headers().add(Topics.DEAD_LETTER_REASON, "NOT_JSON: unexpected end".getBytes(StandardCharsets.UTF_8));
        letter.headers().add(Topics.DEAD_LETTER_TOPIC, Topics.USER_LOGIN.getBytes(StandardCharsets.UTF_8));
        letter.headers().add(Topics.DEAD_LETTER_PARTITION, "2".getBytes(StandardCharsets.UTF_8));
        letter.headers().add(Topics.DEAD_LETTER_OFFSET, "77".getBytes(StandardCharsets.UTF_8));
        producer.send(letter).get(30, TimeUnit.SECONDS);

        List<String> expectedLogins = logins.stream().map(ArchiverTest::describe).sorted().toList();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(LakeTables.LOGINS).stream()
                .map(ArchiverTest::describeRow).sorted().toList()).isEqualTo(expectedLogins));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(LakeTables.STATE_WINDOWS)).hasSize(4));
        Map<String, Long> finalLogins = new TreeMap<>();
        StateWindowRule.latest(read(LakeTables.STATE_WINDOWS)).forEach(row -> finalLogins
                .put(row.getField("state") + " " + row.getField("window_start"), (Long) row.getField("logins")));
        assertThat(finalLogins).isEqualTo(Map.of(
                "CA 2026-12-01T10:00Z", 5L,
                "TX 2026-12-01T10:00Z", 4L));

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(LakeTables.DEAD_LETTERS)).hasSize(1));
        Record row = read(LakeTables.DEAD_LETTERS).get(0);
        assertThat(row.getField("reason")).isEqualTo("NOT_JSON: unexpected end");
        assertThat(row.getField("value_text")).isEqualTo("{not json");
        assertThat(row.getField("key")).isEqualTo("k1");
        assertThat(row.getField("source_topic")).isEqualTo(Topics.USER_LOGIN);
        assertThat(row.getField("source_partition")).isEqualTo(2);
        assertThat(row.getField("source_offset")).isEqualTo(77L);
        assertThat(row.getField("time")).isEqualTo(OffsetDateTime.parse("2026-12-01T12:00:00Z"));
    }

    @Test
    @Order(2)
    void duckDbReadingTheCurrentParquetFilesCountsTheLoginsOfEachDayAndState() throws Exception {
        Map<String, Long> expected = logins.stream().collect(Collectors.groupingBy(
                login -> login.timestamp().substring(0, 10) + " " + login.locale(), TreeMap::new,
                Collectors.counting()));
        Map<String, Long> counted = new TreeMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement();
                ResultSet result = statement.executeQuery("SELECT strftime(make_date(1970, 1, 1)"
                        + " + CAST(epoch_ms(\"timestamp\") // 86400000 AS INTEGER), '%Y-%m-%d') AS day, locale, count(*)"
                        + " FROM read_parquet(" + dataFiles(LakeTables.LOGINS) + ") GROUP BY day, locale")) {
            while (result.next()) {
                counted.put(result.getString(1) + " " + result.getString(2), result.getLong(3));
            }
        }
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    @Order(3)
    void aWarehouseThatCannotBeWrittenStopsTheArchiverReadyDownUntilItIsBackThenNothingIsLost() throws Exception {
        // where the data files of 2026-12-05 must go, a regular file: no directory can be made there, not even by root
        Path blocker = Path.of(lake.catalog().loadTable(LakeTables.LOGINS).location().replace("file:", ""), "data",
                "timestamp_day=2026-12-05");
        Files.createDirectories(blocker.getParent());
        Files.writeString(blocker, "not a directory");
        List<CleanLogin> blocked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CleanLogin login = login(100 + i, "2026-12-05");
            blocked.add(login);
            sendLogin(login, "0:" + (100 + i));
        }
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body(containsString("cannot write logins to the warehouse")));
        given().get("/q/health/live").then().statusCode(200);
        assertThat(read(LakeTables.LOGINS)).hasSize(logins.size());

        Files.delete(blocker);
        logins.addAll(blocked);
        List<String> expected = logins.stream().map(ArchiverTest::describe).sorted().toList();
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(read(LakeTables.LOGINS).stream()
                .map(ArchiverTest::describeRow).sorted().toList()).isEqualTo(expected));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("pulse_archiver_errors_total{table=\"logins\"}"))
                .body(containsString("pulse_archiver_skipped_total{reason=\"redelivery\",table=\"logins\"} 3.0"))
                .body(containsString(
                        "pulse_archiver_skipped_total{reason=\"impossible-source-offset\",table=\"logins\"} 1.0"))
                .body(containsString(
                        "pulse_archiver_skipped_total{reason=\"malformed-source-offset\",table=\"logins\"} 1.0"));
    }

    private void sendStats(StateStats stats) throws Exception {
        producer.send(new ProducerRecord<>(Topics.USER_LOGIN_STATS, stats.state(), Json.MAPPER.writeValueAsBytes(
                stats))).get(30, TimeUnit.SECONDS);
    }

    private List<Record> read(TableIdentifier id) throws IOException {
        Table table = lake.catalog().loadTable(id);
        List<Record> rows = new ArrayList<>();
        try (CloseableIterable<Record> scan = IcebergGenerics.read(table).build()) {
            scan.forEach(row -> rows.add(row.copy()));
        }
        return rows;
    }

    private String dataFiles(TableIdentifier id) throws IOException {
        Table table = lake.catalog().loadTable(id);
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> files.add("'" + task.file().location().replace("file:", "") + "'"));
        }
        return "[" + String.join(", ", files) + "]";
    }

    private static String describe(CleanLogin login) {
        return String.join("|", Instant.parse(login.timestamp()).toString(), login.locale(), login.deviceType(),
                login.userId(), login.appVersion(), login.ip(), login.deviceId());
    }

    private static String describeRow(Record row) {
        return String.join("|", ((OffsetDateTime) row.getField("timestamp")).toInstant().toString(),
                (String) row.getField("locale"), (String) row.getField("device_type"), (String) row.getField("user_id"),
                (String) row.getField("app_version"), (String) row.getField("ip"), (String) row.getField("device_id"));
    }
}
