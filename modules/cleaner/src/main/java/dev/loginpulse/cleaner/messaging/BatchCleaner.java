package dev.loginpulse.cleaner.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.RejectReason;
import dev.loginpulse.events.Schemas;
import dev.loginpulse.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Cleans one polled batch of raw records and writes every record to exactly one place: the clean login to
 * {@link Topics#USER_LOGIN_CLEAN} (keyed by locale, with the {@link Topics#SOURCE_OFFSET} header), or the raw record,
 * byte for byte, to {@link Topics#USER_LOGIN_DLQ} with its reason. Both carry their topic's {@link Topics#SCHEMA}
 * header. The returned future completes when the broker has
 * acknowledged every write of the batch, and only then may the raw offsets be committed; it fails if a write fails for
 * any reason but the record itself (a dead letter that cannot be written, a clean login refused by authorization):
 * nothing of the batch may then be committed. While a topic is unavailable the writes are not failed but retried by
 * the producers ({@code delivery.timeout.ms} is unbounded), and {@link PendingBatches} holds the consumer back.
 * <p>
 * Records are sent in the order they were polled, from one thread, so each raw partition's records reach every clean
 * partition in raw-offset order (the stats service's redelivery filter relies on it; the producer is idempotent).
 */
public class BatchCleaner {

    /**
     * Reason code of a clean record the broker refused for what it is (too large, invalid), not for where it goes. An
     * unavailable topic is not such a refusal: the producers retry until the broker is back, and other errors fail the
     * batch so that it is read again (see {@link #refusesTheRecord}).
     */
    public static final String WRITE_FAILED = "WRITE_FAILED";
    /**
     * Largest raw value a dead letter carries whole: what the dead-letter topic and its producer take
     * ({@link Topics#RAW_MAX_MESSAGE_BYTES}) less room for the key, the headers and the batch overhead. A raw value can
     * be larger (a compressed batch of a few KiB can hold a 20 MiB value); its dead letter would then be refused,
     * fail the batch and stop the cleaner on the same record after every restart.
     */
    public static final int MAX_WHOLE_DEAD_LETTER = Topics.RAW_MAX_MESSAGE_BYTES - 256 * 1024;
    /** How much of a larger value its dead letter keeps: the first 1 MiB. */
    public static final int TRUNCATED_DEAD_LETTER = 1024 * 1024;
    /** How much of the key such a dead letter keeps: the first 64 KiB. */
    public static final int TRUNCATED_KEY = 64 * 1024;

    private final LoginCleaner cleaner;
    private final Producer<String, CleanLogin> clean;
    private final Producer<byte[], byte[]> deadLetters;
    private final Counter cleaned;
    private final Counter writeFailed;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    public BatchCleaner(LoginCleaner cleaner, Producer<String, CleanLogin> clean, Producer<byte[], byte[]> deadLetters,
            MeterRegistry registry) {
        this.cleaner = cleaner;
        this.clean = clean;
        this.deadLetters = deadLetters;
        this.cleaned = Counter.builder("pulse.cleaner.cleaned")
                .description("Raw logins cleaned into " + Topics.USER_LOGIN_CLEAN).register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, deadLettered(registry, reason.name()));
        }
        this.writeFailed = deadLettered(registry, WRITE_FAILED);
    }

    private static Counter deadLettered(MeterRegistry registry, String reason) {
        return Counter.builder("pulse.cleaner.dead.lettered").tag("reason", reason)
                .description("Raw logins dead-lettered to " + Topics.USER_LOGIN_DLQ + ", by reason")
                .register(registry);
    }

    /** Cleans and writes {@code records}; the future completes once every write is acknowledged. */
    public CompletableFuture<Void> clean(Iterable<ConsumerRecord<byte[], byte[]>> records) {
        Writes writes = new Writes();
        try {
            for (ConsumerRecord<byte[], byte[]> raw : records) {
                CleaningResult result = cleaner.clean(raw.value());
                if (result instanceof CleaningResult.Rejected rejection) {
                    rejected.get(rejection.reason()).increment();
                    deadLetter(raw, rejection.headerValue(), writes);
                } else {
                    writeClean(raw, ((CleaningResult.Cleaned) result).login(), writes);
                }
            }
        } catch (RuntimeException e) {
            // A producer that throws instead of failing the send (closed, interrupted): nothing of the batch counts.
            writes.fail(e);
        }
        writes.issued();
        return writes.done;
    }

    private void writeClean(ConsumerRecord<byte[], byte[]> raw, CleanLogin login, Writes writes) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(Topics.SOURCE_OFFSET,
                (raw.partition() + ":" + raw.offset()).getBytes(StandardCharsets.US_ASCII));
        Schemas.stamp(headers, Topics.USER_LOGIN_CLEAN);
        writes.started();
        clean.send(new ProducerRecord<>(Topics.USER_LOGIN_CLEAN, null, login.locale(), login, headers),
                (metadata, error) -> {
                    if (error == null) {
                        cleaned.increment();
                    } else if (!refusesTheRecord(error)) {
                        // An outage, an authorization or producer failure: nothing of the batch counts and it is read
                        // again; a valid login never becomes a dead letter for where it could not be written.
                        writes.fail(error);
                    } else {
                        // Visible, not lost: the raw record goes to the dead letters with the producer's error.
                        writeFailed.increment();
                        try {
                            deadLetter(raw, WRITE_FAILED + ": " + error, writes);
                        } catch (RuntimeException e) {
                            writes.fail(e);
                        }
                    }
                    writes.finished();
                });
    }

    /** Whether a failed write is about the record itself, which no retry can fix. */
    static boolean refusesTheRecord(Exception error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidRecordException;
    }

    private void deadLetter(ConsumerRecord<byte[], byte[]> raw, String reason, Writes writes) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : raw.headers()) {
            // the raw record's own schema header names what the value was meant to be; the dead letter names its own
            if (!header.key().equals(Topics.SCHEMA)) {
                headers.add(header);
            }
        }
        headers.add(Topics.DEAD_LETTER_REASON, utf8(reason));
        headers.add(Topics.DEAD_LETTER_TOPIC, utf8(raw.topic()));
        headers.add(Topics.DEAD_LETTER_PARTITION, utf8(Integer.toString(raw.partition())));
        headers.add(Topics.DEAD_LETTER_OFFSET, utf8(Long.toString(raw.offset())));
        Schemas.stamp(headers, Topics.USER_LOGIN_DLQ);
        byte[] key = raw.key();
        byte[] value = raw.value();
        int size = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        if (size > MAX_WHOLE_DEAD_LETTER) {
            // too large to dead-letter whole: a truncated copy and the original sizes
            headers.add(Topics.DEAD_LETTER_ORIGINAL_SIZE, utf8(Integer.toString(value == null ? 0 : value.length)));
            if (value != null && value.length > TRUNCATED_DEAD_LETTER) {
                value = Arrays.copyOf(value, TRUNCATED_DEAD_LETTER);
            }
            if (key != null && key.length > TRUNCATED_KEY) {
                key = Arrays.copyOf(key, TRUNCATED_KEY);
            }
        }
        writes.started();
        deadLetters.send(new ProducerRecord<>(Topics.USER_LOGIN_DLQ, null, key, value, headers),
                (metadata, error) -> {
                    if (error != null) {
                        writes.fail(error);
                    }
                    writes.finished();
                });
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The outstanding writes of one batch; {@link #done} completes after the last acknowledgement. */
    private static final class Writes {

        final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Writes started and not yet acknowledged, plus one until all are started. */
        private final AtomicInteger pending = new AtomicInteger(1);

        void started() {
            pending.incrementAndGet();
        }

        void finished() {
            if (pending.decrementAndGet() == 0) {
                done.complete(null);
            }
        }

        void issued() {
            finished();
        }

        void fail(Throwable error) {
            done.completeExceptionally(error);
        }
    }
}
