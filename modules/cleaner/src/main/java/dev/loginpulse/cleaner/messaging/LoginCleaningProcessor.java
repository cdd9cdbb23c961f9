package dev.loginpulse.cleaner.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;

import dev.loginpulse.cleaner.config.CleanerConfig;
import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.RejectReason;
import dev.loginpulse.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Cleans every raw login with the contract's {@link LoginCleaner} rules. A clean record goes to
 * {@link #CLEAN_CHANNEL}, keyed by its locale and tagged with the raw record's partition and offset; a record that
 * cannot be cleaned is nacked with its reason, and the channel's {@code dead-letter-queue} failure strategy writes its
 * original key and bytes to {@link Topics#USER_LOGIN_DLQ} with a {@code dead-letter-reason} header. The raw offset is
 * committed only after the clean or dead-letter write is acknowledged (at least once).
 */
@ApplicationScoped
public class LoginCleaningProcessor {

    /** Channel of raw logins, bound to {@link Topics#USER_LOGIN}. */
    public static final String RAW_CHANNEL = Topics.USER_LOGIN;
    /** Channel of clean logins, bound to {@link Topics#USER_LOGIN_CLEAN}. */
    public static final String CLEAN_CHANNEL = Topics.USER_LOGIN_CLEAN;

    private final LoginCleaner cleaner;
    private final Counter cleaned;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);

    public LoginCleaningProcessor(CleanerConfig config, MeterRegistry registry) {
        this.cleaner = new LoginCleaner(config.maxRecordBytes(), config.maxFutureSkew(), Clock.systemUTC());
        this.cleaned = Counter.builder("pulse.cleaner.cleaned")
                .description("Raw logins cleaned into " + Topics.USER_LOGIN_CLEAN).register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("pulse.cleaner.dead.lettered").tag("reason", reason.name())
                    .description("Raw logins dead-lettered to " + Topics.USER_LOGIN_DLQ + ", by reason")
                    .register(registry));
        }
    }

    /**
     * Cleans one raw record. Returns the clean message, which acknowledges the raw one once written; or nacks the raw
     * record with the rejection (the dead-letter queue then writes it) and returns {@code null}, which emits nothing.
     */
    @Incoming(RAW_CHANNEL)
    @Outgoing(CLEAN_CHANNEL)
    public Message<CleanLogin> clean(Message<byte[]> raw) {
        CleaningResult result = cleaner.clean(raw.getPayload());
        if (result instanceof CleaningResult.Rejected rejection) {
            rejected.get(rejection.reason()).increment();
            raw.nack(new RejectedLoginException(rejection.headerValue()));
            return null;
        }
        CleanLogin login = ((CleaningResult.Cleaned) result).login();
        cleaned.increment();
        RecordHeaders headers = new RecordHeaders();
        raw.getMetadata(IncomingKafkaRecordMetadata.class).ifPresent(source -> headers.add(Topics.SOURCE_OFFSET,
                (source.getPartition() + ":" + source.getOffset()).getBytes(StandardCharsets.US_ASCII)));
        return Message.of(login, Metadata.of(OutgoingKafkaRecordMetadata.<String> builder()
                .withKey(login.locale())
                .withHeaders(headers)
                .build()), () -> raw.ack(), failure -> raw.nack(failure));
    }
}
