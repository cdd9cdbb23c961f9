package dev.loginpulse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.loginpulse.events.Json;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.Service;

/**
 * The Markdown table of a {@link Footprint} run: per service and mode, the size of what ships, the native build's
 * time and peak memory, startup, idle RSS and the figures under load.
 */
final class FootprintTable {

    private final Path home;
    private final String version;

    FootprintTable(Path home, String version) {
        this.home = home;
        this.version = version;
    }

    String table(List<Pipeline.Mode> modes, List<Service> services,
            Map<Pipeline.Mode, Map<Service, Footprint.Startup>> startups,
            Map<Pipeline.Mode, Map<Service, Footprint.Load>> loads, int runs, int idleSeconds, int rate, int loadSeconds) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT,
                "Measured %s on %d cores, %s %s; startup: median of %d, each service alone; idle RSS after %d s; "
                        + "load: all four services, generator at %d events/s, %d s after a 10 s warm-up.%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), runs, idleSeconds, rate, loadSeconds));
        table.append("| service | mode | size | native build | exec → HTTP | exec → ready | idle RSS | RSS under load "
                + "(mean / peak) | CPU under load |\n");
        table.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Service service : services) {
            for (Pipeline.Mode mode : modes) {
                Footprint.Startup startup = startups.get(mode).get(service);
                Footprint.Load load = loads.get(mode).getOrDefault(service, new Footprint.Load(0, 0, 0));
                table.append(String.format(Locale.ROOT,
                        "| %s | %s | %s | %s | %d ms | %d ms | %d MB | %d / %d MB | %.0f %% |%n",
                        service.moduleName(), mode.name().toLowerCase(Locale.ROOT), size(mode, service),
                        mode == Pipeline.Mode.NATIVE ? nativeBuild(service) : "",
                        startup.httpMillis(), startup.readyMillis(), startup.idleRssKb() / 1024,
                        load.meanRssKb() / 1024, load.peakRssKb() / 1024, load.cpuPercent()));
            }
        }
        return table.toString();
    }

    private String size(Pipeline.Mode mode, Service service) {
        Path target = home.resolve("modules").resolve(service.moduleName()).resolve("target");
        if (mode == Pipeline.Mode.NATIVE) {
            return megabytes(fileSize(target.resolve(service.moduleName() + "-" + version + "-runner")));
        }
        try (Stream<Path> files = Files.walk(target.resolve("quarkus-app"))) {
            return megabytes(files.filter(Files::isRegularFile).mapToLong(FootprintTable::fileSize).sum());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Build time and the builder's peak RSS, from the statistics native-image writes next to its input. */
    private String nativeBuild(Service service) {
        String name = service.moduleName() + "-" + version;
        Path stats = home.resolve("modules").resolve(service.moduleName()).resolve("target")
                .resolve(name + "-native-image-source-jar").resolve(name + "-runner-build-output-stats.json");
        if (!Files.isRegularFile(stats)) {
            return "?";
        }
        try {
            JsonNode usage = Json.MAPPER.readTree(stats.toFile()).path("resource_usage");
            return String.format(Locale.ROOT, "%.0f s, %.1f GB", usage.path("total_secs").asDouble(),
                    usage.path("memory").path("peak_rss_bytes").asDouble() / (1L << 30));
        } catch (IOException e) {
            return "?";
        }
    }

    private static long fileSize(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
}
