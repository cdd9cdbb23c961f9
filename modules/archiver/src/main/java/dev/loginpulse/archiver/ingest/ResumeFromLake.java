package dev.loginpulse.archiver.ingest;

import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import dev.loginpulse.archiver.lake.ArchiveTable;
import dev.loginpulse.archiver.lake.Lake;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * On every partition assignment, seeks each partition to where its table says to resume (past everything committed or
 * buffered), or to the beginning when the table has nothing of it: the tables, not the consumer group, hold the
 * positions (docs/lake.md).
 */
@ApplicationScoped
@Named(ResumeFromLake.NAME)
public class ResumeFromLake implements KafkaConsumerRebalanceListener {

    /** The bean name the channels' {@code consumer-rebalance-listener.name} refers to. */
    public static final String NAME = "archiver-resume-from-lake";

    private static final Logger LOG = Logger.getLogger(ResumeFromLake.class);

    private final Lake lake;

    public ResumeFromLake(Lake lake) {
        this.lake = lake;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            ArchiveTable table = lake.forTopic(partition.topic());
            Long next = table == null ? null : table.resumeAt(partition.partition());
            if (next == null) {
                consumer.seekToBeginning(List.of(partition));
                LOG.debugf("%s: from the beginning", partition);
            } else {
                consumer.seek(partition, next);
                LOG.debugf("%s: from offset %d", partition, next);
            }
        }
    }
}
