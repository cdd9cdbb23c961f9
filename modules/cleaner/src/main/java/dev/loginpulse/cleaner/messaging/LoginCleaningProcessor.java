package dev.loginpulse.cleaner.messaging;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.loginpulse.cleaner.config.CleanerConfig;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;

/**
 * Consumes the raw logins a poll at a time ({@code batch=true}) and hands each batch to {@link BatchCleaner}, which
 * writes clean logins to {@link #CLEAN_CHANNEL} and dead letters to {@link #DEAD_LETTER_CHANNEL} through those
 * channels' Kafka producers. A batch is acknowledged (its offsets committed by the throttled commit strategy) only when
 * every write of it is acknowledged by the broker: at least once, and nothing lost. The next batch is cleaned while
 * the previous ones are still being written, up to {@code pulse.cleaner.max-pending-batches}; beyond that the method's
 * returned stage holds SmallRye back, so the consumer pauses while a topic cannot be written (see
 * {@link PendingBatches} and {@link dev.loginpulse.cleaner.health.CleanWritesHealthCheck}).
 * <p>
 * Why not one {@code Message} per login through {@code @Outgoing}: that path costs about 60–75 µs of CPU per login in
 * SmallRye's per-message dispatch and acknowledgement, against 1.5 µs of cleaning (docs/benchmarks.md).
 */
@ApplicationScoped
public class LoginCleaningProcessor {

    /** Channel of raw logins, bound to {@link Topics#USER_LOGIN}. */
    public static final String RAW_CHANNEL = Topics.USER_LOGIN;
    /** Channel of clean logins, bound to {@link Topics#USER_LOGIN_CLEAN}. */
    public static final String CLEAN_CHANNEL = Topics.USER_LOGIN_CLEAN;
    /** Channel of dead letters, bound to {@link Topics#USER_LOGIN_DLQ}. */
    public static final String DEAD_LETTER_CHANNEL = Topics.USER_LOGIN_DLQ;

    private final CleanerConfig config;
    private final MeterRegistry registry;
    private final KafkaClientService clients;
    private final PendingBatches pending;
    private volatile BatchCleaner batchCleaner;

    // The emitters declare the outgoing channels (SmallRye then creates and configures their Kafka producers, and
    // includes them in health checks); the records go through the producers themselves, a batch at a time.
    @Inject
    @Channel(CLEAN_CHANNEL)
    Emitter<CleanLogin> cleanChannel;

    @Inject
    @Channel(DEAD_LETTER_CHANNEL)
    Emitter<byte[]> deadLetterChannel;

    public LoginCleaningProcessor(CleanerConfig config, MeterRegistry registry, KafkaClientService clients) {
        this.config = config;
        this.registry = registry;
        this.clients = clients;
        this.pending = new PendingBatches(config.maxPendingBatches(), Clock.systemUTC());
        Gauge.builder("pulse.cleaner.pending.batches", pending, PendingBatches::size)
                .description("Polled batches whose writes the broker has not acknowledged yet").register(registry);
    }

    /** Cleans one polled batch; its acknowledgement follows once its writes are acknowledged. */
    @Incoming(RAW_CHANNEL)
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    @Blocking
    public CompletionStage<Void> clean(KafkaRecordBatch<byte[], byte[]> batch) {
        @SuppressWarnings("unchecked")
        ConsumerRecords<byte[], byte[]> records = batch.getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .orElseThrow(() -> new IllegalStateException(RAW_CHANNEL + " must be consumed with batch=true"))
                .getRecords();
        // Pending from before its first send: a send can block (the producers wait for the topic's metadata while
        // its brokers are unreachable, max.block.ms), and the readiness check must see that wait.
        CompletableFuture<Void> written = new CompletableFuture<>();
        CompletionStage<Void> room = pending.admit(written);
        batchCleaner().clean(records).whenComplete((done, failure) -> {
            if (failure == null) {
                batch.ack();
                written.complete(null);
            } else {
                batch.nack(failure);
                written.completeExceptionally(failure);
            }
        });
        // The next batch is requested once fewer than max-pending-batches are in flight: backpressure to the consumer.
        return room;
    }

    /** The batches in flight, for the readiness check and the gauge. */
    public PendingBatches pending() {
        return pending;
    }

    private BatchCleaner batchCleaner() {
        BatchCleaner cleaner = batchCleaner;
        if (cleaner == null) {
            // Only the ordered worker of this channel gets here; the producers exist once the channels are wired.
            cleaner = new BatchCleaner(
                    new LoginCleaner(config.maxRecordBytes(), config.maxFutureSkew(), Clock.systemUTC()),
                    clients.<String, CleanLogin> getProducer(CLEAN_CHANNEL).unwrap(),
                    clients.<byte[], byte[]> getProducer(DEAD_LETTER_CHANNEL).unwrap(),
                    registry);
            batchCleaner = cleaner;
        }
        return cleaner;
    }
}
