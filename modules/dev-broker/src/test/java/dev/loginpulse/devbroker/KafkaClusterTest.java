package dev.loginpulse.devbroker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three real KRaft nodes as child JVMs: every pipeline topic has three replicas and requires two in sync, and the
 * records acknowledged with {@code acks=all} survive a SIGKILL of a partition's leader; the killed node, restarted,
 * catches up until every replica is in sync again.
 */
class KafkaClusterTest {

    private static final Duration BOUND = Duration.ofMinutes(2);
    private static final int PER_ROUND = 2_000;

    @Test
    void threeNodesReplicateEveryTopicThreeTimesAndLoseNoAcknowledgedRecordWhenALeaderIsKilled() throws Exception {
        try (KafkaCluster cluster = KafkaCluster.builder().nodes(3).partitions(3).build().start();
                Admin admin = cluster.admin()) {
            // A node's metadata learns of new topics after the controller: the admin may ask one not there yet.
            Map<String, TopicDescription> topics = await().atMost(BOUND).ignoreExceptions()
                    .until(() -> admin.describeTopics(Topics.ALL).allTopicNames().get(30, TimeUnit.SECONDS),
                            described -> described.keySet().containsAll(Topics.ALL));
            assertThat(topics).containsOnlyKeys(Topics.ALL);
            assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(3)
                    .allSatisfy(partition -> assertThat(partition.replicas()).hasSize(3)));
            ConfigResource raw = new ConfigResource(ConfigResource.Type.TOPIC, Topics.USER_LOGIN);
            Config config = admin.describeConfigs(List.of(raw)).all().get(30, TimeUnit.SECONDS).get(raw);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");
            assertThat(cluster.bootstrapServers().split(",")).hasSize(3);

            try (KafkaProducer<byte[], byte[]> producer = producer(cluster)) {
                send(producer, "before");
                int leader = cluster.leaderOf(Topics.USER_LOGIN, 0);
                assertThat(leader).isBetween(1, 3);
                cluster.node(leader).kill();
                await().atMost(BOUND).until(() -> {
                    int now = cluster.leaderOf(Topics.USER_LOGIN, 0);
                    return now != leader && now != -1;
                });
                send(producer, "during"); // two replicas in sync of three: writes with acks=all go on
                cluster.restart(leader);
                cluster.awaitInSync(BOUND);
                send(producer, "after");
            }
            assertThat(consumeAll(cluster, 3 * PER_ROUND)).as("records by round")
                    .containsOnlyKeys("before", "during", "after")
                    .allSatisfy((round, values) -> assertThat(values).as(round).hasSize(PER_ROUND).doesNotHaveDuplicates());
        }
    }

    @Test
    void closeKillsANodeStuckInItsControlledShutdownOnceTheGraceIsOverInsteadOfWaitingMinutes() throws Exception {
        KafkaCluster cluster = KafkaCluster.builder().nodes(1).partitions(1).stopGrace(Duration.ofSeconds(2)).build()
                .start();
        long pid = cluster.node(1).pid();
        // Stopped, the node cannot act on close's SIGTERM, like a node waiting for a quorum that is gone.
        assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor()).isZero();

        CompletableFuture<Void> closed = CompletableFuture.runAsync(cluster::close);

        // bounded well below the 2 minutes the node got before (the grace is 2 s)
        closed.get(60, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("node process").isEmpty();
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaCluster cluster) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends {@value #PER_ROUND} records named after the round to partition 0 and waits for every acknowledgement. */
    private static void send(KafkaProducer<byte[], byte[]> producer, String round) throws Exception {
        List<Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < PER_ROUND; i++) {
            acks.add(producer.send(new ProducerRecord<>(Topics.USER_LOGIN, 0, null,
                    (round + ":" + i).getBytes(StandardCharsets.UTF_8))));
        }
        for (Future<?> ack : acks) {
            ack.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static Map<String, List<String>> consumeAll(KafkaCluster cluster, int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, List<String>> byRound = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(Topics.USER_LOGIN, 0)));
            consumer.seekToBeginning(consumer.assignment());
            List<String> all = new ArrayList<>();
            await().atMost(BOUND).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    all.add(new String(record.value(), StandardCharsets.UTF_8));
                }
                return all.size() >= expected;
            });
            all.forEach(value -> byRound.computeIfAbsent(value.substring(0, value.indexOf(':')), r -> new ArrayList<>())
                    .add(value));
        }
        return byRound;
    }
}
