package dev.loginpulse.bench.spark;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.Topics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.window;

/**
 * The pipeline's work as the original designs did it, on Apache Spark Structured Streaming ({@code local[2]}): two
 * streaming queries in one application, like the seeds' two jobs.
 * <ol>
 * <li>{@code clean}: raw logins from Kafka through the contract's own {@link LoginCleaner} (the events module's code,
 * compiled for Java 17) in {@code mapPartitions}; clean logins (JSON, keyed by state, with the source offset header) to
 * the clean topic, rejected ones (original bytes, reason header) to the dead-letter topic.</li>
 * <li>{@code stats}: clean logins from Kafka, 60 s windows advancing 10 s per state with a 10 s watermark (the
 * pipeline's grace), logins and exact distinct users ({@code size(collect_set(user_id))}: streaming Spark has no exact
 * {@code count(distinct)}), every changed window ({@code update} mode) as JSON to the stats topic.</li>
 * </ol>
 * Arguments: bootstrap servers, raw topic, clean topic, dead-letter topic, stats topic, checkpoint directory,
 * maxOffsetsPerTrigger.
 */
public final class SparkJob {

    private SparkJob() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String rawTopic = args[1];
        String cleanTopic = args[2];
        String deadLetterTopic = args[3];
        String statsTopic = args[4];
        String checkpoint = args[5];
        String maxOffsetsPerTrigger = args[6];

        SparkSession spark = SparkSession.builder()
                .appName("login-pulse-bench")
                .master("local[2]")
                // Spark's default of 200 shuffle partitions is for clusters; the topics have 3.
                .config("spark.sql.shuffle.partitions", "3")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        System.out.println("SPARK_VERSION=" + spark.version());

        StructType header = new StructType().add("key", DataTypes.StringType).add("value", DataTypes.BinaryType);
        StructType out = new StructType()
                .add("topic", DataTypes.StringType)
                .add("key", DataTypes.BinaryType)
                .add("value", DataTypes.BinaryType)
                .add("headers", DataTypes.createArrayType(header));
        Dataset<Row> raw = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", rawTopic)
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", maxOffsetsPerTrigger)
                .load();
        raw.select("key", "value", "partition", "offset")
                .mapPartitions(new Clean(cleanTopic, deadLetterTopic), Encoders.row(out))
                .writeStream()
                .queryName("clean")
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("kafka.linger.ms", "5")
                .option("checkpointLocation", checkpoint + "/clean")
                .start();

        StructType cleanLogin = new StructType()
                .add("timestamp", DataTypes.StringType)
                .add("locale", DataTypes.StringType)
                .add("user_id", DataTypes.StringType);
        String iso = "yyyy-MM-dd'T'HH:mm:ss'Z'";
        spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", cleanTopic)
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", maxOffsetsPerTrigger)
                .load()
                .select(from_json(col("value").cast("string"), cleanLogin).as("login"))
                .select(to_timestamp(col("login.timestamp")).as("ts"), col("login.locale").as("state"),
                        col("login.user_id").as("user_id"))
                .withWatermark("ts", "10 seconds")
                .groupBy(window(col("ts"), "60 seconds", "10 seconds"), col("state"))
                .agg(count(lit(1)).as("logins"), size(collect_set(col("user_id"))).as("unique_users"))
                .select(col("state").as("key"), to_json(struct(col("state"),
                        date_format(col("window.start"), iso).as("window_start"),
                        date_format(col("window.end"), iso).as("window_end"),
                        col("logins"), col("unique_users"))).as("value"))
                .writeStream()
                .queryName("stats")
                .outputMode("update")
                .format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("topic", statsTopic)
                .option("checkpointLocation", checkpoint + "/stats")
                .start();

        spark.streams().awaitAnyTermination();
    }

    /** The cleaner service's work on one partition of raw records. */
    static final class Clean implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final String cleanTopic;
        private final String deadLetterTopic;

        Clean(String cleanTopic, String deadLetterTopic) {
            this.cleanTopic = cleanTopic;
            this.deadLetterTopic = deadLetterTopic;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            LoginCleaner cleaner = LoginCleaner.withDefaults();
            JsonSerde<CleanLogin> serde = JsonSerde.cleanLogin();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Row next() {
                    Row row = rows.next();
                    byte[] key = (byte[]) row.get(0);
                    byte[] value = (byte[]) row.get(1);
                    CleaningResult result = cleaner.clean(value);
                    if (result instanceof CleaningResult.Cleaned cleaned) {
                        CleanLogin login = cleaned.login();
                        byte[] source = (row.getInt(2) + ":" + row.getLong(3)).getBytes(StandardCharsets.US_ASCII);
                        return RowFactory.create(cleanTopic, login.locale().getBytes(StandardCharsets.UTF_8),
                                serde.serialize(cleanTopic, login),
                                new Row[] { RowFactory.create(Topics.SOURCE_OFFSET, source) });
                    }
                    CleaningResult.Rejected rejected = (CleaningResult.Rejected) result;
                    return RowFactory.create(deadLetterTopic, key, value, new Row[] { RowFactory.create(
                            Topics.DEAD_LETTER_REASON, rejected.headerValue().getBytes(StandardCharsets.UTF_8)) });
                }
            };
        }
    }
}
