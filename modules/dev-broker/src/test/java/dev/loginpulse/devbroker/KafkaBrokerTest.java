package dev.loginpulse.devbroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.loginpulse.events.Topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaBrokerTest {

    @Test
    void startsWithThePipelineTopicsAndKeepsRecordsAcrossARestart() throws Exception {
        try (KafkaBroker broker = KafkaBroker.builder().partitions(2).build().start()) {
            try (Admin admin = broker.admin()) {
                Map<String, TopicDescription> topics = admin.describeTopics(Topics.ALL).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
                assertThat(topics).containsOnlyKeys(Topics.ALL);
                assertThat(topics.values()).allSatisfy(topic -> assertThat(topic.partitions()).hasSize(2));
            }

            produce(broker, "before-restart");
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();
            produce(broker, "after-restart");

            assertThat(consumeAll(broker, 2)).containsExactly("before-restart", "after-restart");
        }
    }

    @Test
    void childProcessBrokerSurvivesASigkillWithItsAcknowledgedRecords() throws Exception {
        try (KafkaBroker broker = KafkaBroker.builder().partitions(1).childProcess(true).build().start()) {
            produce(broker, "before-kill");
            long pid = broker.pid();
            assertThat(ProcessHandle.of(pid)).as("a broker process of its own").isPresent();

            broker.kill();
            assertThat(broker.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            broker.start();
            produce(broker, "after-kill");

            assertThat(consumeAll(broker, 2)).containsExactly("before-kill", "after-kill");
            assertThat(broker.pid()).isNotEqualTo(pid);
        }
    }

    @Test
    void inProcessBrokerCannotBeKilled() {
        try (KafkaBroker broker = KafkaBroker.builder().build()) {
            assertThatThrownBy(broker::kill).isInstanceOf(IllegalStateException.class).hasMessageContaining("childProcess");
        }
    }

    @Test
    void deletesItsTemporaryDataDirectoryOnClose() {
        KafkaBroker broker = KafkaBroker.builder().build().start();
        assertThat(broker.dataDir()).isDirectory();
        broker.close();
        assertThat(broker.dataDir()).doesNotExist();
    }

    private static void produce(KafkaBroker broker, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.USER_LOGIN, 0, "key", value)).get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> consumeAll(KafkaBroker broker, int expected) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "broker-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.USER_LOGIN));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }
}
