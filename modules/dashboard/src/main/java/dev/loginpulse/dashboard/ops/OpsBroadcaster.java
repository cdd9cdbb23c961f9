package dev.loginpulse.dashboard.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.loginpulse.events.AdminRawOffsets;
import dev.loginpulse.events.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;

/**
 * Samples the cluster and the services every {@link OpsConfig#interval()} while at least one {@code /ws/ops} client is
 * connected, and sends each the snapshot. Nothing is polled without clients: the Admin client is created for the
 * first and closed once none is left. It is built from the dashboard's own Kafka client configuration (the
 * {@code kafka.*} keys and {@code KAFKA_*} variables, SASL and TLS included).
 * <p>
 * One thread samples, so a slow answer delays the next sample rather than piling requests up; a client that has not
 * taken the previous snapshot is skipped (every snapshot is the whole picture).
 */
@Singleton
public class OpsBroadcaster {

    private static final Logger LOG = Logger.getLogger(OpsBroadcaster.class);

    private final OpsConfig config;
    private final Map<String, Object> kafkaConfig;
    private final ObjectMapper mapper;
    private final Thresholds thresholds;
    private final MetricsScraper scraper;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pulse-ops-sampler");
        thread.setDaemon(true);
        return thread;
    });
    /** Touched by the sampling thread only. */
    private final Map<Integer, String> knownBrokers = new HashMap<>();
    private Admin admin;
    private AdminSampler sampler;
    private ClusterSample previous;
    private volatile String latest;

    public OpsBroadcaster(OpsConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            ObjectMapper mapper, MeterRegistry registry) {
        if (config.interval().toMillis() < 1) {
            throw new IllegalArgumentException("pulse.dashboard.ops.interval must be at least 1 ms: "
                    + config.interval());
        }
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.mapper = mapper;
        this.thresholds = new Thresholds(config.lagWarn(), config.lagCritical());
        this.scraper = new MetricsScraper(MetricsScraper.Target.parseAll(config.services()), config.timeout());
        Gauge.builder("pulse.dashboard.ops.clients", clients, Map::size).description("Open /ws/ops connections")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        long interval = config.interval().toMillis();
        executor.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAdmin();
    }

    /** A new client gets the latest snapshot at once, if there is one, and the next at the next tick. */
    Uni<Void> open(WebSocketConnection connection) {
        Client client = new Client(connection);
        clients.put(connection.id(), client);
        String text = latest;
        if (text == null) {
            return Uni.createFrom().voidItem();
        }
        client.inFlight = true;
        return connection.sendText(text).onTermination().invoke(() -> client.inFlight = false);
    }

    void closed(WebSocketConnection connection) {
        clients.remove(connection.id());
    }

    /** One sample and its snapshot to every client; nothing without clients. Runs on the sampling thread. */
    void tick() {
        if (clients.isEmpty()) {
            closeAdmin();
            return;
        }
        try {
            if (admin == null) {
                admin = Admin.create(adminConfig(kafkaConfig, config.timeout()));
                sampler = new AdminSampler(admin, Topics.ALL, config.groups(), config.timeout());
            }
            ClusterSample current = sampler.sample(scraper.scrape());
            OpsSnapshot snapshot = OpsModel.snapshot(previous, current, knownBrokers, thresholds);
            snapshot.brokers().forEach(broker -> knownBrokers.put(broker.id(), broker.host()));
            previous = current;
            String text = mapper.writeValueAsString(new OpsMessage(OpsMessage.SNAPSHOT, snapshot));
            latest = text;
            clients.values().forEach(client -> client.send(text));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.warn("Cannot sample the operations view", e);
        }
    }

    private void closeAdmin() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
            sampler = null;
            previous = null;
        }
    }

    /**
     * The Admin client's configuration: the dashboard's Kafka client settings that an Admin client knows (bootstrap
     * servers, security protocol, SASL, TLS), with its own client id and timeouts.
     */
    static Properties adminConfig(Map<String, Object> kafka, Duration timeout) {
        Properties admin = AdminRawOffsets.adminConfig(kafka, "dashboard-ops");
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return admin;
    }

    /** An open connection, and whether its last message is still being written. */
    private static final class Client {
        private final WebSocketConnection connection;
        private volatile boolean inFlight;

        Client(WebSocketConnection connection) {
            this.connection = connection;
        }

        void send(String text) {
            if (inFlight || !connection.isOpen()) {
                return;
            }
            inFlight = true;
            connection.sendText(text).subscribe().with(ok -> inFlight = false, failure -> inFlight = false);
        }
    }
}
