package dev.loginpulse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spark job (modules/bench/spark, built by {@code ./bench.sh} on first use, not by {@code ./mvnw verify}: Spark
 * is a large download) compiles the events module's sources for release 17 on its own classpath: Spark, Kafka's
 * clients, Jackson and quarkus-core. A source that needs anything else (CDI, MicroProfile Config, ...) breaks the
 * Spark phase of {@code ./bench.sh} on every machine without a built job, unless the job's pom excludes it.
 */
class SparkJobSourcesTest {

    /** What the Spark job's classpath offers the events sources, by package prefix. */
    private static final List<String> ON_THE_SPARK_CLASSPATH = List.of("java.", "javax.", "com.fasterxml.jackson.",
            "org.apache.kafka.", "io.quarkus.runtime.");

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)(?:\\.\\*)?;", Pattern.MULTILINE);
    private static final Pattern EXCLUDE = Pattern.compile("<exclude>([^<]+)</exclude>");

    @Test
    void everyEventsSourceTheSparkJobCompilesImportsOnlyWhatItsClasspathHas() throws IOException {
        Path home = Path.of(System.getProperty("pulse.home", "../..")).toAbsolutePath().normalize();
        Path sources = home.resolve("modules/events/src/main/java");
        List<String> excluded = new ArrayList<>();
        Matcher exclude = EXCLUDE.matcher(Files.readString(home.resolve("modules/bench/spark/pom.xml")));
        while (exclude.find()) {
            excluded.add(exclude.group(1));
        }

        List<String> compiled = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                String relative = sources.relativize(file).toString().replace('\\', '/');
                if (excluded.contains(relative)) {
                    continue;
                }
                compiled.add(relative);
                Matcher imports = IMPORT.matcher(Files.readString(file));
                while (imports.find()) {
                    String name = imports.group(1);
                    if (ON_THE_SPARK_CLASSPATH.stream().noneMatch(name::startsWith)
                            && !name.startsWith("dev.loginpulse.events.")) {
                        missing.add(relative + " imports " + name);
                    }
                }
            }
        }

        assertThat(excluded).as("the Spark job's excluded events sources exist")
                .allSatisfy(path -> assertThat(sources.resolve(path)).exists());
        assertThat(compiled).as("events sources compiled into the Spark job").hasSizeGreaterThan(10)
                .contains("dev/loginpulse/events/LoginCleaner.java");
        assertThat(missing).as("imports the Spark job's classpath lacks (exclude the file in modules/bench/spark/pom.xml"
                + " if the job does not need it)").isEmpty();
    }
}
