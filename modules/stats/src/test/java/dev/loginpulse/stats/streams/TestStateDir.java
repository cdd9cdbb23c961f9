package dev.loginpulse.stats.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh state directory per {@code TopologyTestDriver}, in memory ({@code /dev/shm}) where the machine has one. The
 * driver commits after every record, and each commit checkpoints every persistent store with an fsync: on a busy
 * disk that alone made a few hundred records take minutes.
 */
final class TestStateDir {

    private static final Path SHM = Path.of("/dev/shm");

    private TestStateDir() {
    }

    static Path create() {
        Path parent = Files.isDirectory(SHM) && Files.isWritable(SHM) ? SHM
                : Path.of(System.getProperty("java.io.tmpdir"));
        try {
            return Files.createTempDirectory(parent, "login-pulse-stats-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
