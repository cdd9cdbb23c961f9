package dev.loginpulse.archiver.lake;

import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import dev.loginpulse.events.AdminRawOffsets;
import dev.loginpulse.events.RawOffsets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;

/**
 * The end offsets of {@code user-login}, asked of the broker with the archiver's own Kafka settings, so that the
 * {@code logins} table refuses clean logins whose source offset no cleaner can have written (as stats does). Asked
 * rarely: for the first source offset of a raw partition and after large jumps. When the broker cannot tell (15 s),
 * the login is archived, a warning logged and {@code pulse_archiver_errors_total{table="source-check"}} counted: the
 * archiver keeps going rather than stall on a check.
 */
@ApplicationScoped
public class RawTopicEnds implements RawOffsets {

    private static final Logger LOG = Logger.getLogger(RawTopicEnds.class);

    private final AdminRawOffsets admin;
    private final Counter failures;

    public RawTopicEnds(@Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry) {
        this.admin = new AdminRawOffsets(AdminRawOffsets.adminConfig(kafka, "archiver-source-offsets"));
        this.failures = registry.counter("pulse.archiver.errors", "table", "source-check");
    }

    @Override
    public long endOffset(int partition) {
        try {
            return admin.endOffset(partition);
        } catch (KafkaException e) {
            failures.increment();
            LOG.warnf("cannot check a source offset against user-login-%d, archived unchecked: %s", partition, e);
            return Long.MAX_VALUE;
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
