package dev.loginpulse.events;

import java.util.List;

/**
 * Names of the topics and record headers that make up the login-pulse contract. Every service and test refers to these
 * constants; see {@code docs/contracts.md}.
 */
public final class Topics {

    /** Raw login events, any bytes: the generator or any other producer writes here. */
    public static final String USER_LOGIN = "user-login";
    /** Cleaned login events ({@link CleanLogin}), keyed by cleaned locale. */
    public static final String USER_LOGIN_CLEAN = "user-login-clean";
    /** Windowed per-state statistics ({@link StateStats}), keyed by state code. */
    public static final String USER_LOGIN_STATS = "user-login-stats";
    /**
     * Windowed analytics of all states together ({@link Insight} records: device mix, app versions, locales, distinct
     * devices and IPs, top IPs), keyed by {@link Insight#kind()}.
     */
    public static final String USER_LOGIN_INSIGHTS = "user-login-insights";
    /**
     * What each state's logins in each window were made of ({@link StateInsights}: device types, app versions, top
     * IPs), keyed by state code; published beside {@link #USER_LOGIN_STATS}.
     */
    public static final String USER_LOGIN_STATE_INSIGHTS = "user-login-state-insights";
    /** Raw records the cleaner could not clean, original bytes and key, with a {@link #DEAD_LETTER_REASON} header. */
    public static final String USER_LOGIN_DLQ = "user-login-dlq";

    /**
     * What stats could not count ({@link SourceIntegrity}: dropped records by reason, skipped re-deliveries), one
     * running record per {@link #USER_LOGIN_CLEAN} partition; compacted.
     */
    public static final String USER_LOGIN_INTEGRITY = "user-login-integrity";
    /**
     * Which dead letters were re-fed to {@link #USER_LOGIN} ({@code ./run.sh replay-dlq}): compacted, keyed by
     * {@code <partition>:<offset>} of {@link #USER_LOGIN_DLQ}, written in the same transaction as the re-fed records,
     * so that a dead letter is replayed at most once however often the tool runs or crashes. Created by the tool.
     */
    public static final String USER_LOGIN_DLQ_REPLAYED = "user-login-dlq-replayed";

    /** All topics of the pipeline, in flow order. */
    public static final List<String> ALL = List.of(USER_LOGIN, USER_LOGIN_CLEAN, USER_LOGIN_STATS,
            USER_LOGIN_INSIGHTS, USER_LOGIN_STATE_INSIGHTS, USER_LOGIN_DLQ, USER_LOGIN_INTEGRITY);

    /**
     * {@code max.message.bytes} and {@code max.decompressed.message.bytes} of {@link #USER_LOGIN} and
     * {@link #USER_LOGIN_DLQ}: 8 MiB. The broker refuses larger raw records (and compressed batches), and records
     * that decompress to more, at produce time; the cleaner dead-letters raw records above its own, smaller limit
     * ({@link LoginCleaner#DEFAULT_MAX_RECORD_BYTES}) unparsed, so the dead-letter topic must take what the raw topic
     * takes.
     */
    public static final int RAW_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    /**
     * {@code max.decompressed.message.bytes} of the topics the pipeline writes (all but {@link #USER_LOGIN} and
     * {@link #USER_LOGIN_DLQ}, which take {@link #RAW_MAX_MESSAGE_BYTES}): 1 MiB, the broker's default
     * {@code max.message.bytes}; their records are a few KiB. The broker (Kafka 4.2.2 and later) refuses a record that
     * decompresses to more than its topic's limit, so a compressed batch of a few KiB cannot carry a record of a GiB
     * to a consumer, which would have to hold it whole before any code of ours sees it.
     */
    public static final int MAX_DECOMPRESSED_MESSAGE_BYTES = 1024 * 1024;

    /** A topic's {@code max.decompressed.message.bytes}: what a record may decompress to. */
    public static int maxDecompressedMessageBytes(String topic) {
        return topic.equals(USER_LOGIN) || topic.equals(USER_LOGIN_DLQ) ? RAW_MAX_MESSAGE_BYTES
                : MAX_DECOMPRESSED_MESSAGE_BYTES;
    }

    /**
     * {@code retention.ms} of {@link #USER_LOGIN_STATE_INSIGHTS}: an hour. Only a state's latest mix is shown, so a
     * restarted dashboard reads an hour of it, not the topic's whole history.
     */
    public static final long STATE_INSIGHTS_RETENTION_MS = 3_600_000;

    /** Header on a dead-letter record: {@code <REASON_CODE>: <human readable detail>}. */
    public static final String DEAD_LETTER_REASON = "dead-letter-reason";
    /** Header on a dead-letter record: the topic the raw record was read from. */
    public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";
    /** Header on a dead-letter record: the raw record's partition, in decimal. */
    public static final String DEAD_LETTER_PARTITION = "dead-letter-partition";
    /** Header on a dead-letter record: the raw record's offset, in decimal. */
    public static final String DEAD_LETTER_OFFSET = "dead-letter-offset";
    /**
     * Header on a dead-letter record whose raw value was too large to carry whole (over the dead-letter topic's limit,
     * possible when the raw batch was compressed): the raw value's size in bytes, in decimal; the dead letter then
     * holds only its first MiB.
     */
    public static final String DEAD_LETTER_ORIGINAL_SIZE = "dead-letter-original-size";
    /**
     * Header on a clean record naming the raw record it came from, {@code <partition>:<offset>} of {@link #USER_LOGIN}.
     * The stats service uses it to count a raw record once even if the cleaner re-delivers it after a crash.
     */
    public static final String SOURCE_OFFSET = "pulse-source-offset";

    /**
     * Header naming the schema and version of a record's value, {@code <topic>/<version>}, e.g.
     * {@code user-login-clean/1} ({@link Schemas}): written by every service on every record of the pipeline's topics
     * ({@link #ALL}). Consumers must not require it: records written before it, or by other producers, have none.
     */
    public static final String SCHEMA = "pulse-schema";

    /**
     * Header on a raw record re-fed from the dead letters: {@code <partition>:<offset>} of the dead letter in
     * {@link #USER_LOGIN_DLQ}.
     */
    public static final String REPLAYED_FROM = "pulse-replayed-from";

    private Topics() {
    }
}
