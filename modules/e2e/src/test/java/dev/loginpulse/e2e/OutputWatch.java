package dev.loginpulse.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples the end offsets of some topics' partitions ten times a second, to tell how long after a fault each topic
 * had new output on every partition again. A sample that the cluster does not answer within a second (a partition
 * without a leader) is skipped; it is the gap being measured.
 */
final class OutputWatch implements AutoCloseable {

    private static final Duration PERIOD = Duration.ofMillis(100);

    private record Sample(long nanos, Map<TopicPartition, Long> ends) {
    }

    private final Admin admin;
    private final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();

    OutputWatch(Admin admin, Map<String, Integer> partitionsByTopic) {
        this.admin = admin;
        partitionsByTopic.forEach((topic, count) -> {
            for (int partition = 0; partition < count; partition++) {
                partitions.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sample() {
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(1_000)).all().get(2, TimeUnit.SECONDS)
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            synchronized (samples) {
                samples.add(new Sample(System.nanoTime(), ends));
            }
        } catch (Exception e) {
            // a partition without a leader right now: no sample, which is the gap the watch measures
        }
    }

    /**
     * How long after {@code faultNanos} (a {@link System#nanoTime()}) every partition of the topic had an end offset
     * beyond the one of the last sample before the fault; empty if there was no sample before it or not yet one after.
     */
    Optional<Duration> firstOutputAfter(long faultNanos, String topic) {
        List<Sample> copy;
        synchronized (samples) {
            copy = List.copyOf(samples);
        }
        Sample before = null;
        for (Sample sample : copy) {
            if (sample.nanos() <= faultNanos) {
                before = sample;
            }
        }
        if (before == null) {
            return Optional.empty();
        }
        Map<TopicPartition, Long> waiting = new HashMap<>();
        before.ends().forEach((partition, end) -> {
            if (partition.topic().equals(topic)) {
                waiting.put(partition, end);
            }
        });
        for (Sample sample : copy) {
            if (sample.nanos() > faultNanos) {
                waiting.entrySet().removeIf(entry -> sample.ends().get(entry.getKey()) > entry.getValue());
                if (waiting.isEmpty()) {
                    return Optional.of(Duration.ofNanos(sample.nanos() - faultNanos));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        admin.close();
    }
}
