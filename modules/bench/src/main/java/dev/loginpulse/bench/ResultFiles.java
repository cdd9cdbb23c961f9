package dev.loginpulse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.SerializationFeature;

import dev.loginpulse.events.Json;

/**
 * The bench's results on disk: {@code results.json} read back (for {@code --replot} and {@code --merge}) and written
 * with {@code results.md} and {@code benchmarks.png} to the results directory (and, with {@code --docs}, the generated
 * part of {@code docs/benchmarks.md} and {@code docs/benchmarks.png}); the results so far after each phase.
 */
final class ResultFiles {

    private ResultFiles() {
    }

    static Results read(Path file) {
        try {
            return Json.MAPPER.readValue(file.toFile(), Results.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Saves the results so far ({@code results-partial.json}). */
    static void writePartial(Path file, Results results) throws IOException {
        Files.writeString(file, Json.MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(results));
    }

    static void write(BenchOptions options, Results results) {
        Path out = options.out();
        try {
            Files.writeString(out.resolve("results.json"), Json.MAPPER.writer()
                    .with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(results));
            String markdown = Report.markdown(results);
            Files.writeString(out.resolve("results.md"), markdown);
            System.out.println();
            System.out.println(markdown);
            boolean plotted = false;
            if (options.plot) {
                Path png = out.resolve("benchmarks.png");
                plotted = Plot.write(results, png);
                if (plotted) {
                    System.out.println("Plot: " + png);
                }
            }
            if (options.updateDocs) {
                Report.updateDocs(options.home.resolve("docs/benchmarks.md"), markdown);
                if (plotted) {
                    Files.copy(out.resolve("benchmarks.png"), options.home.resolve("docs/benchmarks.png"),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                System.out.println("Updated docs/benchmarks.md and docs/benchmarks.png");
            }
            System.out.println("Results: " + out.resolve("results.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
