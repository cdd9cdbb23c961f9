package dev.loginpulse.events;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@link RawOffsets} from the broker, through an Admin client created on first use: the partition count once per task
 * start, end offsets only for an implausible source offset. Thread-safe; closed with the application.
 */
public final class AdminRawOffsets implements RawOffsets, AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Properties config;
    private Admin admin;

    /** @param config Admin client configuration: bootstrap servers and security settings */
    public AdminRawOffsets(Properties config) {
        this.config = config;
    }

    /**
     * Admin client settings from a service's Kafka settings (e.g. Quarkus's {@code default-kafka-broker} map: bootstrap
     * servers and security), keeping only the keys an Admin client knows.
     */
    public static Properties adminConfig(Map<String, ?> kafka, String clientId) {
        Properties config = new Properties();
        Set<String> known = AdminClientConfig.configNames();
        kafka.forEach((key, value) -> {
            if (known.contains(key) && value != null) {
                config.put(key, value);
            }
        });
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    /** The Admin client, created on first use. */
    public synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public synchronized long endOffset(int partition) {
        Admin admin = admin();
        TopicPartition raw = new TopicPartition(Topics.USER_LOGIN, partition);
        try {
            return admin.listOffsets(Map.of(raw, OffsetSpec.latest())).partitionResult(raw)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return -1;
            }
            throw new KafkaException("Cannot read the end offset of " + raw + " to check a source offset", e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Timed out reading the end offset of " + raw + " to check a source offset", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted reading the end offset of " + raw, e);
        }
    }

    @Override
    public synchronized int partitions() {
        Admin admin = admin();
        try {
            return admin.describeTopics(List.of(Topics.USER_LOGIN)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(Topics.USER_LOGIN).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return 0;
            }
            throw new KafkaException("Cannot describe " + Topics.USER_LOGIN + " to count its partitions", e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("Timed out describing " + Topics.USER_LOGIN, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted describing " + Topics.USER_LOGIN, e);
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
