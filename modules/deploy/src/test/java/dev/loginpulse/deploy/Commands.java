package dev.loginpulse.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the command-line tools the deployment tests drive (docker-compose, buildah, podman). */
final class Commands {

    private Commands() {
    }

    /** An executable of that name on the PATH. */
    static Optional<Path> onPath(String executable) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, executable))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Runs a command to its end, stdout and stderr merged. The output goes to a file while it runs, so a command that
     * hangs (a stuck buildah, podman or docker-compose) is caught by the timeout: then the command and everything it
     * started are killed, and the failure carries the output so far.
     */
    static Result run(Path dir, Map<String, String> env, Duration timeout, List<String> command) {
        Path log = null;
        try {
            log = Files.createTempFile("command-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                List<ProcessHandle> tree = process.descendants().toList();
                tree.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " did not finish within " + timeout + "; killed it and "
                        + tree.size() + " processes it started. Output so far:\n" + Files.readString(log));
            }
            return new Result(command, process.exitValue(), Files.readString(log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    static Result run(Path dir, Duration timeout, String... command) {
        return run(dir, Map.of(), timeout, List.of(command));
    }

    static Result run(Path dir, Duration timeout, List<String> command) {
        return run(dir, Map.of(), timeout, command);
    }

    static List<String> concat(List<String> first, String... rest) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(rest));
        return all;
    }

    record Result(List<String> command, int exitCode, String output) {

        boolean succeeded() {
            return exitCode == 0;
        }

        /** The output, for assertion messages. */
        String describe() {
            return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
        }
    }
}
