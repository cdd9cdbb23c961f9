package dev.loginpulse.archiver.ingest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.loginpulse.archiver.lake.ArchiveTable;
import dev.loginpulse.archiver.lake.ArchiveTable.Received;
import dev.loginpulse.archiver.lake.Lake;
import dev.loginpulse.archiver.lake.LakeTables;
import dev.loginpulse.archiver.lake.Positions;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;

/**
 * Reads the three topics in batches and hands them to their tables. Each method runs on a worker thread, one batch at
 * a time per channel; while a table cannot be written it does not return, so the channel's consumer stops fetching.
 */
@ApplicationScoped
public class Ingest {

    private final Lake lake;

    public Ingest(Lake lake) {
        this.lake = lake;
    }

    @Incoming(Topics.USER_LOGIN_CLEAN)
    @Blocking
    public void cleanLogins(ConsumerRecords<String, byte[]> records) {
        List<Received> batch = new ArrayList<>(records.count());
        // each row's maker holds the value and a few fields, not the consumer record: it is kept until the commit
        for (ConsumerRecord<String, byte[]> record : records) {
            byte[] value = record.value();
            int partition = record.partition();
            long offset = record.offset();
            String source = header(record.headers(), Topics.SOURCE_OFFSET);
            long[] raw = Positions.parseSource(source);
            int rawPartition = raw == null ? -1 : (int) raw[0];
            long rawOffset = raw == null ? -1 : raw[1];
            batch.add(new Received(partition, offset, source, value == null ? 0 : value.length,
                    () -> LakeTables.login(read(value, CleanLogin.class), partition, offset, rawPartition,
                            rawOffset)));
        }
        lake.logins().append(batch);
    }

    @Incoming(Topics.USER_LOGIN_STATS)
    @Blocking
    public void stateWindows(ConsumerRecords<String, byte[]> records) {
        List<Received> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            byte[] value = record.value();
            int partition = record.partition();
            long offset = record.offset();
            batch.add(new Received(partition, offset, null, value == null ? 0 : value.length,
                    () -> LakeTables.stateWindow(read(value, StateStats.class), partition, offset)));
        }
        lake.stateWindows().append(batch);
    }

    @Incoming(Topics.USER_LOGIN_DLQ)
    @Blocking
    public void deadLetters(ConsumerRecords<byte[], byte[]> records) {
        List<Received> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            byte[] key = record.key();
            byte[] value = record.value();
            long timestamp = record.timestamp();
            int partition = record.partition();
            long offset = record.offset();
            Headers headers = record.headers();
            String reason = header(headers, Topics.DEAD_LETTER_REASON);
            String sourceTopic = header(headers, Topics.DEAD_LETTER_TOPIC);
            String sourcePartition = header(headers, Topics.DEAD_LETTER_PARTITION);
            String sourceOffset = header(headers, Topics.DEAD_LETTER_OFFSET);
            batch.add(new Received(partition, offset, null, value == null ? 0 : value.length,
                    () -> LakeTables.deadLetter(timestamp, key, value, reason, sourceTopic, sourcePartition,
                            sourceOffset, partition, offset)));
        }
        lake.deadLetters().append(batch);
    }

    /** Commits rows that reached the roll age, and retries failed commits, also while no records arrive. */
    @Scheduled(every = "${pulse.archiver.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        lake.all().forEach(ArchiveTable::tick);
    }

    private static <T> T read(byte[] value, Class<T> type) {
        if (value == null) {
            throw new IllegalArgumentException("no value");
        }
        try {
            return Json.MAPPER.readValue(value, type);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null
                : new String(header.value(), StandardCharsets.UTF_8);
    }
}
