package dev.loginpulse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.RawLogin;
import dev.loginpulse.events.Topics;
import dev.loginpulse.generator.model.LoginFactory;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

/**
 * End-to-end latency on the whole pipeline (cleaner, stats, dashboard, JVM mode) at fixed produce rates. The bench
 * produces the generator's mix ({@link LoginFactory}, with the generator's producer settings) at the rate, except that
 * one small state, {@link #PROBE_STATE}, gets only probes: one well-formed login every {@link #PROBE_INTERVAL}, whose
 * send time the bench notes. The k-th probe has arrived when a stats record (or a dashboard WebSocket frame) shows the
 * probe state's running total at k or more: latency = that moment − the probe's send.
 */
final class Latency {

    static final String PROBE_STATE = "WY";
    static final Duration PROBE_INTERVAL = Duration.ofMillis(20);
    private static final Duration TICK = Duration.ofMillis(5);
    private static final Duration DRAIN = Duration.ofSeconds(15);
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final Duration CAUGHT_UP = Duration.ofSeconds(2);
    private static final Pattern WS_TOTAL = Pattern.compile(
            "\"state\":\"" + PROBE_STATE + "\",\"name\":\"[^\"]*\",\"total_logins\":(\\d+)");
    private static final int MAX_PROBES = 1_000_000;

    private Latency() {
    }

    /** One configuration of the services to measure. */
    record Setup(String name, List<String> jvmArgs, List<Integer> rates) {
    }

    static List<Results.LatencyResult> run(BenchOptions options) {
        List<Setup> setups = new ArrayList<>();
        setups.add(new Setup("default", options.serviceJvmArgs, options.rates));
        if (options.latencyTuned) {
            List<String> tuned = new ArrayList<>(options.serviceJvmArgs);
            tuned.add("-Dpulse.stats.emit-interval=PT0.05S");
            tuned.add("-Dpulse.dashboard.broadcast-interval=PT0.05S");
            setups.add(new Setup("stats emit 50 ms (a commit after each); dashboard 50 ms", tuned, List.of(5_000)));
        }
        List<Results.LatencyResult> results = new ArrayList<>();
        for (Setup setup : setups) {
            results.addAll(run(options, setup));
        }
        return results;
    }

    private static List<Results.LatencyResult> run(BenchOptions options, Setup setup) {
        System.out.printf("Latency (%s): cleaner, stats and dashboard on a fresh broker; rates %s%n", setup.name(),
                setup.rates());
        PipelineOptions pipelineOptions = new PipelineOptions()
                .home(options.home)
                .version(options.version)
                .logDir(options.out().resolve("logs").resolve("latency-" + setup.name().replaceAll("[^a-z0-9]+", "-")))
                .kafkaPort(0)
                .partitions(options.partitions)
                .broker(Bench::tolerant)
                .services(List.of(Service.CLEANER, Service.STATS, Service.DASHBOARD))
                .jvmArgs(setup.jvmArgs())
                .env("PULSE_STATS_STATE_DIR", options.out().resolve("stats-state-" + UUID.randomUUID()).toString());
        for (Service service : Service.values()) {
            pipelineOptions.port(service, 0);
        }
        List<Results.LatencyResult> results = new ArrayList<>();
        try (Pipeline pipeline = Bench.closeOnExit(Pipeline.start(pipelineOptions));
                Probes probes = new Probes(pipeline, options.out())) {
            for (int rate : setup.rates()) {
                results.add(probes.measure(rate, setup.name(), options.latencyWarmup, options.latencyMeasure));
            }
        }
        return results;
    }

    /** The load, the probes and the two observers of one pipeline. */
    private static final class Probes implements AutoCloseable {
        private final long[] sent = new long[MAX_PROBES + 1];
        private final long[] statsSeen = new long[MAX_PROBES + 1];
        private final long[] socketSeen = new long[MAX_PROBES + 1];
        private final KafkaProducer<byte[], byte[]> producer;
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread consumerThread;
        private final Thread producerThread;
        private final WebSocket socket;
        private final StringBuilder frame = new StringBuilder();
        private final Path out;
        private volatile boolean running = true;
        private volatile int rate;
        private volatile long produced;
        private volatile int probesSent;
        private volatile long statsResolved;
        private volatile long socketResolved;

        Probes(Pipeline pipeline, Path out) {
            this.out = out;
            String bootstrap = pipeline.bootstrapServers();
            Map<String, Object> producerConfig = new HashMap<>();
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            // The generator's settings (modules/generator application.properties).
            producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
            consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
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
            producerThread = new Thread(this::produce, "bench-latency-load");
            producerThread.setDaemon(true);
            producerThread.start();
        }

        Results.LatencyResult measure(int targetRate, String setup, Duration warmup, Duration measure) {
            rate = targetRate;
            System.out.printf("  %,d logins/s: %d s warm-up, %d s measured%n", targetRate, warmup.toSeconds(),
                    measure.toSeconds());
            // First the pipeline must catch up (the first time: with its start, JIT compilation included): until the
            // latest probe seen on both the stats topic and the WebSocket was sent less than CAUGHT_UP ago.
            long catchUpEnd = System.nanoTime() + CATCH_UP.toNanos();
            while (!caughtUp() && System.nanoTime() < catchUpEnd) {
                Throughput.pause(Duration.ofMillis(50));
            }
            if (!caughtUp()) {
                System.out.printf("    the pipeline did not catch up within %d s; measuring anyway%n",
                        CATCH_UP.toSeconds());
            }
            Throughput.pause(warmup);
            int firstProbe = probesSent + 1;
            long producedBefore = produced;
            long start = System.nanoTime();
            try (Progress progress = new Progress(targetRate / 1000 + "k/s", () -> String.format(
                    "%s logins produced, probes %d sent, %d in stats, %d on the WebSocket",
                    Progress.count(produced), probesSent, statsResolved, socketResolved))) {
                Throughput.pause(measure);
            }
            int lastProbe = probesSent;
            double achieved = (produced - producedBefore) / ((System.nanoTime() - start) / 1e9);
            long drainEnd = System.nanoTime() + DRAIN.toNanos();
            while ((statsResolved < lastProbe || socketResolved < lastProbe) && System.nanoTime() < drainEnd) {
                Throughput.pause(Duration.ofMillis(50));
            }
            Histogram stats = new Histogram(3);
            Histogram websocket = new Histogram(3);
            long lost = 0;
            StringBuilder csv = new StringBuilder("probe,sent_ms,stats_ms,websocket_ms\n");
            for (int k = firstProbe; k <= lastProbe; k++) {
                csv.append(k).append(',').append((sent[k] - sent[firstProbe]) / 1_000_000).append(',')
                        .append(statsSeen[k] > 0 ? String.valueOf((statsSeen[k] - sent[k]) / 1_000_000) : "")
                        .append(',')
                        .append(socketSeen[k] > 0 ? String.valueOf((socketSeen[k] - sent[k]) / 1_000_000) : "")
                        .append('\n');
                if (statsSeen[k] > 0) {
                    stats.recordValue(Math.max(1, (statsSeen[k] - sent[k]) / 1_000));
                } else {
                    lost++;
                }
                if (socketSeen[k] > 0) {
                    websocket.recordValue(Math.max(1, (socketSeen[k] - sent[k]) / 1_000));
                }
            }
            try {
                Files.writeString(out.resolve("latency-" + setup.replaceAll("[^a-z0-9]+", "-") + "-" + targetRate
                        + ".csv"), csv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Results.LatencyResult result = new Results.LatencyResult(targetRate, setup, lastProbe - firstProbe + 1,
                    lost, percentiles(stats), percentiles(websocket), achieved);
            System.out.printf("    produce → stats:     p50 %6.0f ms, p95 %6.0f ms, p99 %6.0f ms, max %6.0f ms (%d"
                    + " probes)%n", result.stats().p50(), result.stats().p95(), result.stats().p99(),
                    result.stats().max(), result.stats().count());
            System.out.printf("    produce → WebSocket: p50 %6.0f ms, p95 %6.0f ms, p99 %6.0f ms, max %6.0f ms (%d"
                    + " probes); %,.0f logins/s achieved%n", result.websocket().p50(), result.websocket().p95(),
                    result.websocket().p99(), result.websocket().max(), result.websocket().count(), achieved);
            return result;
        }

        private boolean caughtUp() {
            long seen = Math.min(statsResolved, socketResolved);
            return seen > 0 && System.nanoTime() - sent[(int) seen] < CAUGHT_UP.toNanos();
        }

        private static Results.Percentiles percentiles(Histogram histogram) {
            if (histogram.getTotalCount() == 0) {
                return new Results.Percentiles(0, 0, 0, 0, 0);
            }
            return new Results.Percentiles(histogram.getValueAtPercentile(50) / 1000.0,
                    histogram.getValueAtPercentile(95) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
                    histogram.getMaxValue() / 1000.0, histogram.getTotalCount());
        }

        /** Sends {@code rate} logins/s in {@link #TICK} steps; every {@link #PROBE_INTERVAL} one of them is a probe. */
        private void produce() {
            LoginFactory factory = new LoginFactory(new SplittableRandom(7), Clock.systemUTC(), Preload.DIRTY_RATIO,
                    Preload.USERS, LoginFactory.DEFAULT_SUSPICIOUS_SHARE);
            LoginCleaner cleaner = LoginCleaner.withDefaults();
            JsonSerde<RawLogin> serde = JsonSerde.rawLogin();
            long rateStart = System.nanoTime();
            int rateNow = 0;
            long sentAtRate = 0;
            long nextProbe = System.nanoTime();
            while (running) {
                long now = System.nanoTime();
                if (rate != rateNow) {
                    rateNow = rate;
                    rateStart = now;
                    sentAtRate = 0;
                }
                if (rateNow > 0) {
                    if (now >= nextProbe && probesSent < MAX_PROBES) {
                        int k = probesSent + 1;
                        RawLogin probe = new RawLogin("probe-" + k, "3.0.1", "android", "10.0.0.1", PROBE_STATE,
                                "probe-device", System.currentTimeMillis() / 1000);
                        sent[k] = System.nanoTime();
                        producer.send(new ProducerRecord<>(Topics.USER_LOGIN,
                                probe.userId().getBytes(StandardCharsets.UTF_8), serde.serialize(null, probe)));
                        probesSent = k;
                        produced++;
                        sentAtRate++;
                        nextProbe += PROBE_INTERVAL.toNanos();
                    }
                    long due = (long) ((now - rateStart) / 1e9 * rateNow) - sentAtRate;
                    for (long i = 0; i < due; i++) {
                        LoginFactory.GeneratedLogin login = factory.next();
                        if (cleaner.clean(login.payload()) instanceof CleaningResult.Cleaned cleaned
                                && cleaned.login().locale().equals(PROBE_STATE)) {
                            continue; // the probe state carries only probes
                        }
                        producer.send(new ProducerRecord<>(Topics.USER_LOGIN,
                                login.userId().getBytes(StandardCharsets.UTF_8), login.payload()));
                        produced++;
                        sentAtRate++;
                    }
                } else {
                    nextProbe = now;
                }
                Throughput.pause(TICK);
            }
        }

        private void consume() {
            try {
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        if (!PROBE_STATE.equals(record.key())) {
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
            long upTo = Math.min(total, probesSent);
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

        @Override
        public void close() {
            running = false;
            try {
                producerThread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(10));
            consumer.wakeup();
            try {
                consumerThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socket.abort();
        }
    }
}
