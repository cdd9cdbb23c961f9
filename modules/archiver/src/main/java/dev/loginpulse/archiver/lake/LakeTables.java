package dev.loginpulse.archiver.lake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.EventTimes;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;

/** The lake's tables: names, schemas, partitioning and how a Kafka record becomes a row (docs/lake.md). */
public final class LakeTables {

    /** The catalog namespace of every table. */
    public static final Namespace NAMESPACE = Namespace.of("pulse");
    /** Clean logins from {@link Topics#USER_LOGIN_CLEAN}. */
    public static final TableIdentifier LOGINS = TableIdentifier.of(NAMESPACE, "logins");
    /** Every publication of a (state, window) from {@link Topics#USER_LOGIN_STATS}; the highest revision wins. */
    public static final TableIdentifier STATE_WINDOWS = TableIdentifier.of(NAMESPACE, "state_windows");
    /** Dead letters from {@link Topics#USER_LOGIN_DLQ}, with their reason. */
    public static final TableIdentifier DEAD_LETTERS = TableIdentifier.of(NAMESPACE, "dead_letters");

    /** Column of every table: the Kafka partition the row was read from. */
    public static final String KAFKA_PARTITION = "kafka_partition";
    /** Column of every table: the Kafka offset the row was read from. */
    public static final String KAFKA_OFFSET = "kafka_offset";
    /**
     * Column of {@link #STATE_WINDOWS}: the revision of a (state, window)'s figures, the offset of the stats record
     * (a state's records all go to one partition, in publication order); readers keep the highest per (state,
     * window_start, window_end).
     */
    public static final String REVISION = "revision";

    public static final Schema LOGINS_SCHEMA = new Schema(
            Types.NestedField.required(1, "timestamp", Types.TimestampType.withZone()),
            Types.NestedField.required(2, "locale", Types.StringType.get()),
            Types.NestedField.required(3, "device_type", Types.StringType.get()),
            Types.NestedField.required(4, "user_id", Types.StringType.get()),
            Types.NestedField.required(5, "app_version", Types.StringType.get()),
            Types.NestedField.required(6, "ip", Types.StringType.get()),
            Types.NestedField.required(7, "device_id", Types.StringType.get()),
            Types.NestedField.required(8, KAFKA_PARTITION, Types.IntegerType.get()),
            Types.NestedField.required(9, KAFKA_OFFSET, Types.LongType.get()),
            Types.NestedField.optional(10, "source_partition", Types.IntegerType.get()),
            Types.NestedField.optional(11, "source_offset", Types.LongType.get()));

    public static final PartitionSpec LOGINS_SPEC = PartitionSpec.builderFor(LOGINS_SCHEMA)
            .day("timestamp").identity("locale").build();

    public static final Schema STATE_WINDOWS_SCHEMA = new Schema(
            Types.NestedField.required(1, "state", Types.StringType.get()),
            Types.NestedField.required(2, "window_start", Types.TimestampType.withZone()),
            Types.NestedField.required(3, "window_end", Types.TimestampType.withZone()),
            Types.NestedField.required(4, "logins", Types.LongType.get()),
            Types.NestedField.required(5, "unique_users", Types.LongType.get()),
            Types.NestedField.required(6, "total_logins", Types.LongType.get()),
            Types.NestedField.optional(7, "last_login", Types.TimestampType.withZone()),
            Types.NestedField.required(8, "late_logins", Types.LongType.get()),
            Types.NestedField.required(9, REVISION, Types.LongType.get()),
            Types.NestedField.required(10, KAFKA_PARTITION, Types.IntegerType.get()),
            Types.NestedField.required(11, KAFKA_OFFSET, Types.LongType.get()));

    public static final PartitionSpec STATE_WINDOWS_SPEC = PartitionSpec.builderFor(STATE_WINDOWS_SCHEMA)
            .day("window_start").build();

    public static final Schema DEAD_LETTERS_SCHEMA = new Schema(
            Types.NestedField.required(1, "time", Types.TimestampType.withZone()),
            Types.NestedField.optional(2, "key", Types.StringType.get()),
            Types.NestedField.optional(3, "value", Types.BinaryType.get()),
            Types.NestedField.optional(4, "value_text", Types.StringType.get()),
            Types.NestedField.optional(5, "reason", Types.StringType.get()),
            Types.NestedField.optional(6, "source_topic", Types.StringType.get()),
            Types.NestedField.optional(7, "source_partition", Types.IntegerType.get()),
            Types.NestedField.optional(8, "source_offset", Types.LongType.get()),
            Types.NestedField.required(9, KAFKA_PARTITION, Types.IntegerType.get()),
            Types.NestedField.required(10, KAFKA_OFFSET, Types.LongType.get()));

    public static final PartitionSpec DEAD_LETTERS_SPEC = PartitionSpec.builderFor(DEAD_LETTERS_SCHEMA)
            .day("time").build();

    /**
     * Columns whose values are nearly all different within a data file. Parquet tries a dictionary for every column
     * first and falls back to plain encoding once the dictionary outgrows its page: for these columns that attempt
     * was a tenth of the archiver's CPU (JFR, docs/benchmarks.md) and bought nothing. {@code user_id} too: a file
     * holds one locale's logins of one roll (about 2,000 rows in the benchmark), where a user seldom logs in twice, so
     * its dictionary was a hash-map insert per row (8 % of the archiver's CPU samples) for no smaller file.
     */
    static final Set<String> DISTINCT_COLUMNS = Set.of("timestamp", "ip", "device_id", "user_id", KAFKA_OFFSET,
            "source_offset", "time", "key", "value", "value_text", "last_login", REVISION);

    /**
     * Parquet page size: 128 KiB instead of Parquet's 1 MiB. Every open file gets a compression buffer of a page's
     * size, and a roll opens one file per (day, locale), each a few tens of kilobytes per column in the benchmark: the
     * 1 MiB buffers were 5 % of everything the archiver allocated (JFR).
     */
    static final int PAGE_SIZE_BYTES = 128 * 1024;

    /**
     * How the archiver writes the Parquet files of a table, over the table's own properties: zstd at level 1 (level
     * 3, Iceberg's default, cost more CPU for files a few percent smaller), {@link #PAGE_SIZE_BYTES} pages and no
     * dictionary for the {@link #DISTINCT_COLUMNS}.
     */
    public static Map<String, String> writeProperties(Schema schema) {
        Map<String, String> properties = new HashMap<>();
        properties.put(TableProperties.PARQUET_COMPRESSION_LEVEL, "1");
        properties.put(TableProperties.PARQUET_PAGE_SIZE_BYTES, Integer.toString(PAGE_SIZE_BYTES));
        for (Types.NestedField column : schema.columns()) {
            if (DISTINCT_COLUMNS.contains(column.name())) {
                properties.put(TableProperties.PARQUET_DICT_ENCODING_ENABLED_COLUMN_PREFIX + column.name(), "false");
            }
        }
        return Map.copyOf(properties);
    }

    private LakeTables() {
    }

    /** A clean login as a {@link #LOGINS} row; {@code source} is its source header, or null. */
    public static Row login(CleanLogin login, int partition, long offset, String source) {
        long[] raw = Positions.parseSource(source);
        return login(login, partition, offset, raw == null ? -1 : (int) raw[0], raw == null ? -1 : raw[1]);
    }

    /** A clean login as a {@link #LOGINS} row; its source raw partition and offset are -1 when unknown. */
    public static Row login(CleanLogin login, int partition, long offset, int rawPartition, long rawOffset) {
        Row row = new Row(LOGINS_SCHEMA.columns().size());
        row.set(0, EventTimes.epochMicros(login.timestamp()));
        row.set(1, login.locale());
        row.set(2, login.deviceType());
        row.set(3, login.userId());
        row.set(4, login.appVersion());
        row.set(5, login.ip());
        row.set(6, login.deviceId());
        row.set(7, partition);
        row.set(8, offset);
        row.set(9, rawPartition < 0 ? null : rawPartition);
        row.set(10, rawOffset < 0 ? null : rawOffset);
        return row;
    }

    /** A stats record as a {@link #STATE_WINDOWS} row; its revision is its offset. */
    public static Row stateWindow(StateStats stats, int partition, long offset) {
        Row row = new Row(STATE_WINDOWS_SCHEMA.columns().size());
        row.set(0, stats.state());
        row.set(1, EventTimes.epochMicros(stats.windowStart()));
        row.set(2, EventTimes.epochMicros(stats.windowEnd()));
        row.set(3, stats.logins());
        row.set(4, stats.uniqueUsers());
        row.set(5, stats.totalLogins());
        row.set(6, stats.lastLogin() == null ? null : EventTimes.epochMicros(stats.lastLogin()));
        row.set(7, stats.lateLogins());
        row.set(8, offset);
        row.set(9, partition);
        row.set(10, offset);
        return row;
    }

    /** A dead letter as a {@link #DEAD_LETTERS} row. */
    public static Row deadLetter(long timestampMillis, byte[] key, byte[] value, String reason, String sourceTopic,
            String sourcePartition, String sourceOffset, int partition, long offset) {
        Row row = new Row(DEAD_LETTERS_SCHEMA.columns().size());
        row.set(0, Math.multiplyExact(timestampMillis, 1000L));
        row.set(1, key == null ? null : new String(key, StandardCharsets.UTF_8));
        row.set(2, value == null ? null : ByteBuffer.wrap(value));
        row.set(3, value == null ? null : new String(value, StandardCharsets.UTF_8));
        row.set(4, reason);
        row.set(5, sourceTopic);
        row.set(6, parseInt(sourcePartition));
        row.set(7, parseLong(sourceOffset));
        row.set(8, partition);
        row.set(9, offset);
        return row;
    }

    private static Integer parseInt(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long parseLong(String text) {
        try {
            return text == null ? null : Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
