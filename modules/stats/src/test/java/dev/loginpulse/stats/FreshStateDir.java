package dev.loginpulse.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A state directory of its own for the stats service under test: Kafka Streams state left by an earlier run against
 * another broker would be taken as corrupt. The directory is under {@code target/}, so {@code mvn clean} removes it.
 */
public class FreshStateDir implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            return Map.of("kafka-streams.state.dir", Files.createTempDirectory(target, "stats-state-").toAbsolutePath()
                    .toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // Left for inspection after a failure; target/ is build output.
    }
}
