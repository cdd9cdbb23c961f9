package dev.loginpulse.stats.streams;

import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import dev.loginpulse.events.CleanLogin;

/**
 * Event time is the clean record's {@code timestamp}. A record whose value is not a parseable {@link CleanLogin} (only
 * possible if something other than the cleaner writes the topic) keeps its Kafka record timestamp.
 */
public class CleanLoginTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof CleanLogin login && login.timestamp() != null) {
            try {
                return login.epochMillis();
            } catch (DateTimeParseException e) {
                return record.timestamp();
            }
        }
        return record.timestamp();
    }
}
