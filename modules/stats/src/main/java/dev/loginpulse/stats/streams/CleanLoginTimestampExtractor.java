package dev.loginpulse.stats.streams;

import java.time.Clock;
import java.time.format.DateTimeParseException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

import dev.loginpulse.events.CleanLogin;

/**
 * Event time is the clean record's {@code timestamp}, capped at the wall clock: a login stamped ahead of this
 * instance's clock (the cleaner lets up to {@code pulse.cleaner.max-future-skew} through, since device clocks run
 * ahead) counts at the clock's time, so it lands in the present windows and cannot move event-time progress into the
 * future. A record whose value is not a parseable {@link CleanLogin} (only possible if something other than the
 * cleaner writes the topic) keeps its Kafka record timestamp, capped the same way.
 */
public class CleanLoginTimestampExtractor implements TimestampExtractor {

    private final Clock clock;

    public CleanLoginTimestampExtractor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long eventTime = record.timestamp();
        if (record.value() instanceof CleanLogin login && login.timestamp() != null) {
            try {
                eventTime = login.epochMillis();
            } catch (DateTimeParseException e) {
                // keeps the record timestamp
            }
        }
        return Math.min(eventTime, clock.millis());
    }
}
