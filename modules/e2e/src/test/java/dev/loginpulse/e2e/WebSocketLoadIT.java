package dev.loginpulse.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.loginpulse.broker.Pipeline;
import dev.loginpulse.broker.Service;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.events.UsState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 1,000 concurrent WebSocket clients on loopback against the packaged dashboard, plus one that never reads: after each
 * of 20 stats updates, every reading client has the new figures within a second. Latencies, the dashboard's RSS and
 * CPU go to {@code target/ws-load.properties} ({@code docs/benchmarks.md} records a run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketLoadIT {

    private static final int CLIENTS = 1_000;
    private static final int UPDATES = 20;
    private static final Pattern MARKER = Pattern.compile("\"state\":\"RI\",\"name\":\"[^\"]*\",\"total_logins\":(\\d+)");
    private static final Instant WINDOW = Instant.parse("2026-11-21T12:00:00Z");

    private Pipeline pipeline;
    private KafkaProducer<String, StateStats> producer;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        pipeline = Pipeline.start(PipelineSupport.options("ws-load").services(List.of(Service.DASHBOARD)));
        producer = PipelineSupport.statsProducer(pipeline);
    }

    @AfterAll
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void thousandClientsEachGetEveryUpdateWithinASecondWhileOneClientReadsNothing() throws Exception {
        for (UsState state : UsState.values()) {
            publish(state.code(), 10);
        }
        URI uri = URI.create("ws://127.0.0.1:" + pipeline.url(Service.DASHBOARD).getPort() + "/ws/stats");
        AtomicLong[] seen = new AtomicLong[CLIENTS];
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            seen[i] = new AtomicLong();
            sockets.add(http.newWebSocketBuilder().buildAsync(uri, new MarkerListener(seen[i])).get(30, TimeUnit.SECONDS));
        }
        WebSocket stuck = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                // never request a message: this client reads nothing
            }
        }).get(30, TimeUnit.SECONDS);

        long pid = pipeline.process(Service.DASHBOARD).pid();
        long cpuBefore = cpuTicks(pid);
        Instant started = Instant.now();
        long[] latenciesMs = new long[UPDATES * CLIENTS];
        long worst = 0;
        int n = 0;
        for (int update = 1; update <= UPDATES; update++) {
            long marker = 1_000 + update;
            Instant sent = Instant.now();
            publish("RI", marker);
            long[] arrived = new long[CLIENTS];
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
                boolean all = true;
                for (int i = 0; i < CLIENTS; i++) {
                    if (arrived[i] == 0 && seen[i].get() >= marker) {
                        arrived[i] = Duration.between(sent, Instant.now()).toMillis();
                    }
                    all &= arrived[i] != 0 || seen[i].get() >= marker;
                }
                return all;
            });
            for (long ms : arrived) {
                latenciesMs[n++] = ms;
                worst = Math.max(worst, ms);
            }
        }
        double cpuSeconds = (cpuTicks(pid) - cpuBefore) / 100.0;
        double wallSeconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        long rssKb = rssKb(pid);
        Arrays.sort(latenciesMs, 0, n);
        String figures = String.join("\n",
                "date=" + Instant.now(),
                "clients=" + CLIENTS + " reading + 1 not reading",
                "updates=" + UPDATES,
                "latency.p50.ms=" + latenciesMs[n / 2],
                "latency.p95.ms=" + latenciesMs[(int) (n * 0.95)],
                "latency.p99.ms=" + latenciesMs[(int) (n * 0.99)],
                "latency.max.ms=" + worst,
                "dashboard.rss.mb=" + rssKb / 1024,
                "dashboard.cpu.percent=" + Math.round(100 * cpuSeconds / wallSeconds)) + "\n";
        Files.writeString(Path.of("target/ws-load.properties"), figures);
        System.out.println("WebSocket load:\n" + figures);

        assertThat(worst).as("slowest client, ms after the stats record was written").isLessThanOrEqualTo(1_000);
        for (WebSocket socket : sockets) {
            socket.abort();
        }
        stuck.abort();
    }

    private void publish(String state, long total) throws Exception {
        StateStats stats = new StateStats(state, WINDOW.toString(), WINDOW.plusSeconds(60).toString(), 10, 8, total,
                WINDOW.plusSeconds(30).toString());
        producer.send(new ProducerRecord<>(Topics.USER_LOGIN_STATS, state, stats)).get(30, TimeUnit.SECONDS);
    }

    private static long cpuTicks(long pid) throws Exception {
        String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long rssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** Keeps the highest Rhode Island total seen in any message. */
    private static final class MarkerListener implements WebSocket.Listener {
        private final AtomicLong seen;
        private final StringBuilder partial = new StringBuilder();

        MarkerListener(AtomicLong seen) {
            this.seen = seen;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Matcher matcher = MARKER.matcher(partial);
                if (matcher.find()) {
                    seen.accumulateAndGet(Long.parseLong(matcher.group(1)), Math::max);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
