package dev.loginpulse.stats.streams;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.Topics;

/**
 * Lets each raw record through once: a clean record that carries a {@link Topics#SOURCE_OFFSET} at or below the highest
 * already counted for its raw partition is a re-delivery by the cleaner after a crash, and is dropped, as is a record
 * without a value. Everything the stats count (per state and insights) is downstream of this filter.
 */
class RedeliveryFilter implements FixedKeyProcessor<String, CleanLogin, CleanLogin> {

    private FixedKeyProcessorContext<String, CleanLogin> context;
    private KeyValueStore<String, Long> sourceOffsets;

    @Override
    public void init(FixedKeyProcessorContext<String, CleanLogin> context) {
        this.context = context;
        this.sourceOffsets = context.getStateStore(StatsTopology.SOURCE_OFFSETS_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, CleanLogin> record) {
        if (record.value() == null || isRedelivery(record)) {
            return;
        }
        context.forward(record);
    }

    private boolean isRedelivery(FixedKeyRecord<String, CleanLogin> record) {
        Header header = record.headers().lastHeader(Topics.SOURCE_OFFSET);
        if (header == null || header.value() == null) {
            return false;
        }
        String value = new String(header.value(), StandardCharsets.US_ASCII);
        int colon = value.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        long offset;
        try {
            offset = Long.parseLong(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        String partition = value.substring(0, colon);
        Long highest = sourceOffsets.get(partition);
        if (highest != null && offset <= highest) {
            return true;
        }
        sourceOffsets.put(partition, offset);
        return false;
    }
}
