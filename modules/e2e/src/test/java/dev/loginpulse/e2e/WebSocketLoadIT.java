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

import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.Topics;
import dev.loginpulse.events.UsState;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 1,000 concurrent WebSocket clients on loopback against the packaged dashboard, plus one that never reads: every
 * reading client gets each of 20 stats updates, in order, while the stuck client holds nothing up; then, as updates go
 * on, the dashboard closes the stuck client (its slow-client counter) and the reading clients stay connected and keep
 * up. Latencies, the dashboard's RSS and CPU are reported in {@code target/ws-load.properties}, not asserted
 * ({@code docs/benchmarks.md} records a run).
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
    void thousandClientsGetEveryUpdateWhileOneClientReadsNothingAndTheStuckClientIsClosed() throws Exception {
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
        long rssKb = PipelineSupport.rssKb(pid);
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

        // Updates go on until the stuck client's socket buffers are full and it has missed the slow-client timeout's
        // worth of updates: the dashboard closes it. Bounded: the updates are fat (a new window each, so the series
        // grows), and the default timeout is 10 s.
        long[] marker = { 1_000 + UPDATES };
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> {
            marker[0]++;
            publish("RI", marker[0], WINDOW.plusSeconds(10 * (marker[0] % 90)));
            return slowClientsClosed() >= 1;
        });
        long last = marker[0];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (int i = 0; i < CLIENTS; i++) {
                assertThat(seen[i].get()).as("reading client %d has the latest update", i).isEqualTo(last);
            }
        });
        assertThat(sockets).as("reading clients still open").allSatisfy(socket -> assertThat(socket.isInputClosed())
                .isFalse());
        assertThat(slowClientsClosed()).as("only the stuck client was closed").isEqualTo(1);
        System.out.printf("WebSocket load: stuck client closed after %d more updates; dashboard RSS %d MB%n",
                last - 1_000 - UPDATES, PipelineSupport.rssKb(pid) / 1024);
        for (WebSocket socket : sockets) {
            socket.abort();
        }
        stuck.abort();
    }

    private void publish(String state, long total) throws Exception {
        publish(state, total, WINDOW);
    }

    private void publish(String state, long total, Instant window) throws Exception {
        StateStats stats = new StateStats(state, window.toString(), window.plusSeconds(60).toString(), 10, 8, total,
                window.plusSeconds(30).toString());
        producer.send(new ProducerRecord<>(Topics.USER_LOGIN_STATS, state, stats)).get(30, TimeUnit.SECONDS);
    }

    /** {@code pulse_dashboard_slow_clients_closed_total} on the dashboard's {@code /q/metrics}. */
    private long slowClientsClosed() throws Exception {
        String metrics = PipelineSupport.get(pipeline.url(Service.DASHBOARD).resolve("/q/metrics")).body();
        Matcher matcher = Pattern.compile("(?m)^pulse_dashboard_slow_clients_closed_total(\\{[^}]*\\})? ([0-9.E]+)$")
                .matcher(metrics);
        return matcher.find() ? (long) Double.parseDouble(matcher.group(2)) : 0;
    }

    private static long cpuTicks(long pid) throws Exception {
        String[] fields = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
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
