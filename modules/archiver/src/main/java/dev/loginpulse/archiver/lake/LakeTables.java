package dev.loginpulse.archiver.lake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

import dev.loginpulse.events.CleanLogin;
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

    private LakeTables() {
    }

    /** A clean login as a {@link #LOGINS} row. */
    public static Record login(CleanLogin login, int partition, long offset, String source) {
        GenericRecord row = GenericRecord.create(LOGINS_SCHEMA);
        row.set(0, time(login.timestamp()));
        row.set(1, login.locale());
        row.set(2, login.deviceType());
        row.set(3, login.userId());
        row.set(4, login.appVersion());
        row.set(5, login.ip());
        row.set(6, login.deviceId());
        row.set(7, partition);
        row.set(8, offset);
        long[] raw = Positions.parseSource(source);
        row.set(9, raw == null ? null : (int) raw[0]);
        row.set(10, raw == null ? null : raw[1]);
        return row;
    }

    /** A stats record as a {@link #STATE_WINDOWS} row; its revision is its offset. */
    public static Record stateWindow(StateStats stats, int partition, long offset) {
        GenericRecord row = GenericRecord.create(STATE_WINDOWS_SCHEMA);
        row.set(0, stats.state());
        row.set(1, time(stats.windowStart()));
        row.set(2, time(stats.windowEnd()));
        row.set(3, stats.logins());
        row.set(4, stats.uniqueUsers());
        row.set(5, stats.totalLogins());
        row.set(6, stats.lastLogin() == null ? null : time(stats.lastLogin()));
        row.set(7, stats.lateLogins());
        row.set(8, offset);
        row.set(9, partition);
        row.set(10, offset);
        return row;
    }

    /** A dead letter as a {@link #DEAD_LETTERS} row. */
    public static Record deadLetter(long timestampMillis, byte[] key, byte[] value, String reason, String sourceTopic,
            String sourcePartition, String sourceOffset, int partition, long offset) {
        GenericRecord row = GenericRecord.create(DEAD_LETTERS_SCHEMA);
        row.set(0, OffsetDateTime.ofInstant(Instant.ofEpochMilli(timestampMillis), ZoneOffset.UTC));
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

    private static OffsetDateTime time(String iso) {
        return OffsetDateTime.ofInstant(Instant.parse(iso), ZoneOffset.UTC);
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
