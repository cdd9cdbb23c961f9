package dev.loginpulse.devbroker;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import dev.loginpulse.events.Topics;

/**
 * Creates topics on a {@link KafkaBroker} with the pipeline's topic configurations, and waits until the broker
 * describes them.
 */
final class TopicCreator {

    private static final Duration TIMEOUT = KafkaBroker.READY_TIMEOUT;

    private TopicCreator() {
    }

    /**
     * Creates topics with {@code partitions} partitions each; existing ones are left as they are. Returns when the
     * broker describes all of them (a created topic can be briefly unknown to the broker's metadata).
     */
    static void createTopics(Admin admin, Collection<String> names, int partitions, int replicationFactor,
            int minInsyncReplicas) {
        List<NewTopic> topics = names.stream().map(name -> new NewTopic(name, partitions, (short) replicationFactor)
                .configs(topicConfig(name, minInsyncReplicas))).toList();
        Instant deadline = Instant.now().plus(TIMEOUT);
        for (NewTopic topic : topics) {
            createTopic(admin, topic, deadline);
        }
        awaitDescribed(admin, names, deadline);
    }

    private static void awaitDescribed(Admin admin, Collection<String> names, Instant deadline) {
        try {
            Throwable last;
            do {
                try {
                    long remaining = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
                    admin.describeTopics(names).allTopicNames().get(remaining, TimeUnit.MILLISECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("Broker does not describe the topics " + names, e.getCause());
                    }
                    last = e.getCause();
                } catch (TimeoutException e) {
                    throw new IllegalStateException("Broker did not describe the topics " + names + " in " + TIMEOUT,
                            e);
                }
                Thread.sleep(50);
            } while (Instant.now().isBefore(deadline));
            throw new IllegalStateException("Broker does not describe the topics " + names, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing topics", e);
        }
    }

    /**
     * Every topic requires {@code minInsyncReplicas} replicas in sync for a write and refuses records that decompress
     * beyond {@link Topics#maxDecompressedMessageBytes}; the raw topic and the dead-letter topic
     * take records up to {@link Topics#RAW_MAX_MESSAGE_BYTES}; the integrity
     * topic keeps the latest record per partition (compacted); the state insights are kept
     * {@link Topics#STATE_INSIGHTS_RETENTION_MS}.
     */
    private static Map<String, String> topicConfig(String topic, int minInsyncReplicas) {
        Map<String, String> config = new HashMap<>();
        config.put("min.insync.replicas", String.valueOf(minInsyncReplicas));
        config.put(TopicConfig.MAX_DECOMPRESSED_MESSAGE_BYTES_CONFIG,
                String.valueOf(Topics.maxDecompressedMessageBytes(topic)));
        if (topic.equals(Topics.USER_LOGIN) || topic.equals(Topics.USER_LOGIN_DLQ)) {
            config.put("max.message.bytes", String.valueOf(Topics.RAW_MAX_MESSAGE_BYTES));
        }
        if (topic.equals(Topics.USER_LOGIN_INTEGRITY)) {
            config.put("cleanup.policy", "compact");
        }
        if (topic.equals(Topics.USER_LOGIN_STATE_INSIGHTS)) {
            config.put("retention.ms", String.valueOf(Topics.STATE_INSIGHTS_RETENTION_MS));
        }
        return config;
    }

    private static void createTopic(Admin admin, NewTopic topic, Instant deadline) {
        try {
            long remaining = Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
            admin.createTopics(List.of(topic)).all().get(remaining, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic " + topic.name(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Broker did not create topic " + topic.name() + " in " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic.name(), e);
        }
    }
}
