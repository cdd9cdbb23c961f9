package dev.loginpulse.dashboard.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.loginpulse.dashboard.ops.ClusterSample.ServiceSample;

/**
 * Reads the services' Micrometer metrics in the Prometheus text format ({@code <url>/q/metrics}), all at once with
 * one timeout: a service is up when it answers 200, and shows its uptime and heap in use.
 */
final class MetricsScraper {

    /** The metrics path of a Quarkus service. */
    static final String METRICS_PATH = "/q/metrics";
    static final String UPTIME = "process_uptime_seconds";
    static final String MEMORY_USED = "jvm_memory_used_bytes";

    /** A service to scrape: {@code name=url}. */
    record Target(String name, String url) {

        /** {@code name=url}; without a name, the URL is the name. */
        static Target parse(String entry) {
            int equals = entry.indexOf('=');
            String url = (equals < 0 ? entry : entry.substring(equals + 1)).trim();
            String name = equals < 0 ? url : entry.substring(0, equals).trim();
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("pulse.dashboard.ops.services: not an http(s) URL: " + entry);
            }
            return new Target(name, url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        }

        /** The entries of {@code pulse.dashboard.ops.services}; {@code none} for none. */
        static List<Target> parseAll(List<String> entries) {
            if (entries.size() == 1 && entries.get(0).trim().toLowerCase(Locale.ROOT).equals("none")) {
                return List.of();
            }
            return entries.stream().filter(entry -> !entry.isBlank()).map(Target::parse).toList();
        }
    }

    private final HttpClient http;
    private final List<Target> targets;
    private final Duration timeout;

    MetricsScraper(List<Target> targets, Duration timeout) {
        this.targets = List.copyOf(targets);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Every target's sample, in order, within the timeout. */
    List<ServiceSample> scrape() throws InterruptedException {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (Target target : targets) {
            responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create(target.url() + METRICS_PATH))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ServiceSample> samples = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target target = targets.get(i);
            CompletableFuture<HttpResponse<String>> response = responses.get(i);
            try {
                HttpResponse<String> answer = response.get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS);
                samples.add(answer.statusCode() == 200 ? sample(target, answer.body())
                        : new ServiceSample(target.name(), target.url(), false, null, null,
                                "HTTP " + answer.statusCode()));
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                samples.add(new ServiceSample(target.name(), target.url(), false, null, null,
                        cause.getClass().getSimpleName()));
            } catch (TimeoutException e) {
                response.cancel(true);
                samples.add(new ServiceSample(target.name(), target.url(), false, null, null, "no answer"));
            }
        }
        return samples;
    }

    /** An up service's sample from its metrics text. */
    static ServiceSample sample(Target target, String metrics) {
        return new ServiceSample(target.name(), target.url(), true, sum(metrics, UPTIME, null),
                sum(metrics, MEMORY_USED, "area=\"heap\""), null);
    }

    /**
     * The sum of the samples of one metric in the Prometheus text format, only those whose labels contain
     * {@code label} if given; null if it has none.
     */
    static Double sum(String metrics, String name, String label) {
        Double total = null;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            String rest = line.substring(name.length());
            String labels = "";
            if (rest.startsWith("{")) {
                int end = rest.indexOf('}');
                if (end < 0) {
                    continue;
                }
                labels = rest.substring(1, end);
                rest = rest.substring(end + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // another metric with this name as prefix
            }
            if (label != null && !labels.contains(label)) {
                continue;
            }
            String[] fields = rest.trim().split("\\s+");
            try {
                double value = Double.parseDouble(fields[0]);
                if (!Double.isNaN(value)) {
                    total = (total == null ? 0 : total) + value;
                }
            } catch (NumberFormatException e) {
                // not a sample line
            }
        }
        return total;
    }
}
