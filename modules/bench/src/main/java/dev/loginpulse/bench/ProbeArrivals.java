package dev.loginpulse.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.Json;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.Service;

/**
 * The two observers of {@link Latency}: a consumer of the stats topic ({@code read_committed}) and a client of the
 * dashboard's {@code /ws/stats}. The k-th probe has arrived at an observer when it shows
 * {@link Latency#PROBE_STATE}'s running total at k or more; each observer notes that moment for every probe.
 */
final class ProbeArrivals implements AutoCloseable {

    private static final Pattern WS_TOTAL = Pattern.compile(
            "\"state\":\"" + Latency.PROBE_STATE + "\",\"name\":\"[^\"]*\",\"total_logins\":(\\d+)");

    private final long[] statsSeen = new long[ProbeLoad.MAX_PROBES + 1];
    private final long[] socketSeen = new long[ProbeLoad.MAX_PROBES + 1];
    private final IntSupplier probesSent;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread consumerThread;
    private final WebSocket socket;
    private final StringBuilder frame = new StringBuilder();
    private volatile boolean running = true;
    private volatile long statsResolved;
    private volatile long socketResolved;

    /** @param probesSent how many probes are sent so far: a total counts no probe beyond */
    ProbeArrivals(Pipeline pipeline, IntSupplier probesSent) {
        this.probesSent = probesSent;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-latency-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = StatsWatcher.partitions(consumer, Topics.USER_LOGIN_STATS);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        consumerThread = new Thread(this::consume, "bench-latency-stats");
        consumerThread.setDaemon(true);
        consumerThread.start();
        URI uri = URI.create("ws://127.0.0.1:" + pipeline.url(Service.DASHBOARD).getPort() + "/ws/stats");
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new Listener())
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot open " + uri, e);
        }
    }

    /** Probes 1 to this one have arrived on the stats topic. */
    long statsResolved() {
        return statsResolved;
    }

    /** Probes 1 to this one have arrived on the WebSocket. */
    long socketResolved() {
        return socketResolved;
    }

    /** When the k-th probe arrived on the stats topic, in {@link System#nanoTime()}; 0 if not yet. */
    long statsSeen(int k) {
        return statsSeen[k];
    }

    /** When the k-th probe arrived on the WebSocket, in {@link System#nanoTime()}; 0 if not yet. */
    long socketSeen(int k) {
        return socketSeen[k];
    }

    private void consume() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (!Latency.PROBE_STATE.equals(record.key())) {
                        continue;
                    }
                    long now = System.nanoTime();
                    JsonNode stats = Json.MAPPER.readTree(record.value());
                    statsResolved = resolve(statsSeen, statsResolved, stats.path("total_logins").asLong(), now);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Exception e) {
            System.out.println("  stats observer failed: " + e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** Marks probes up to {@code total} as seen now; returns the new count of resolved probes. */
    private long resolve(long[] seen, long resolved, long total, long now) {
        long upTo = Math.min(total, probesSent.getAsInt());
        for (long k = resolved + 1; k <= upTo; k++) {
            seen[(int) k] = now;
        }
        return Math.max(resolved, upTo);
    }

    private final class Listener implements WebSocket.Listener {
        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                long now = System.nanoTime();
                Matcher matcher = WS_TOTAL.matcher(frame);
                if (matcher.find()) {
                    socketResolved = resolve(socketSeen, socketResolved, Long.parseLong(matcher.group(1)), now);
                }
                frame.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }

    /** Stops the consumer and aborts the WebSocket. */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            consumerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.abort();
    }
}
