package dev.loginpulse.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.loginpulse.devbroker.KafkaBroker;
import dev.loginpulse.events.Topics;

/**
 * The Spark job ({@code modules/bench/spark}, {@code dev.loginpulse.bench.spark.SparkJob}) as an
 * {@link Throughput.Engine}: built on demand with the Maven wrapper and the job's own {@code settings.xml}, run as a
 * child JVM on JDK 17 with the module openings Spark's launcher would add.
 */
final class SparkEngine implements Throughput.Engine {

    static final Throughput.Topics TOPICS = new Throughput.Topics("spark-login-clean", "spark-login-dlq",
            "spark-login-stats");
    static final String HEAP = "-Xmx2g";
    /** What {@code spark-submit} adds on JDK 17 (Spark's {@code JavaModuleOptions}). */
    private static final List<String> JAVA_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
            "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private final Process process;

    private SparkEngine(Process process) {
        this.process = process;
    }

    /** Builds the job (compiles it, resolves Spark) and returns its class path. */
    static String build(BenchOptions options) {
        Path project = options.home.resolve("modules/bench/spark");
        Path log = options.out().resolve("logs/spark-build.log");
        Path classpathFile = project.resolve("target/classpath.txt");
        List<String> command = List.of(options.home.resolve("mvnw").toString(), "-B", "-q",
                "-s", project.resolve("settings.xml").toString(), "-f", project.resolve("pom.xml").toString(),
                "package", "dependency:build-classpath", "-Dmdep.outputFile=" + classpathFile,
                "-Dmdep.includeScope=runtime");
        System.out.println("Spark: building the job (" + String.join(" ", command.subList(1, command.size())) + ")");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(options.home.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process maven = builder.start();
            if (!maven.waitFor(30, TimeUnit.MINUTES) || maven.exitValue() != 0) {
                maven.destroyForcibly();
                throw new IllegalStateException("Building the Spark job failed; see " + log);
            }
            return project.resolve("target/classes") + File.pathSeparator
                    + Files.readString(classpathFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    static Throughput.Launcher launcher(BenchOptions options, KafkaBroker broker, String classpath) {
        return new Throughput.Launcher() {
            @Override
            public void prepare() {
                broker.createTopics(List.of(TOPICS.clean(), TOPICS.deadLetters(), TOPICS.stats()));
            }

            @Override
            public Throughput.Engine launch() {
                return start(options, broker, classpath);
            }
        };
    }

    private static SparkEngine start(BenchOptions options, KafkaBroker broker, String classpath) {
        Path checkpoint = options.out().resolve("spark-checkpoint-" + UUID.randomUUID());
        Path log = options.out().resolve("logs/spark.log");
        List<String> command = new ArrayList<>();
        command.add(options.sparkJava);
        command.add(HEAP);
        command.addAll(JAVA_OPTIONS);
        command.addAll(List.of("-cp", classpath, "dev.loginpulse.bench.spark.SparkJob", broker.bootstrapServers(),
                Topics.USER_LOGIN, TOPICS.clean(), TOPICS.deadLetters(), TOPICS.stats(), checkpoint.toString(),
                String.valueOf(options.sparkMaxOffsetsPerTrigger)));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).directory(options.out().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new SparkEngine(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Spark (" + options.sparkJava + ")", e);
        }
    }

    static String config(BenchOptions options) {
        return "Spark 4.0.0, local[2], JDK 17, " + HEAP + ", shuffle partitions 3, maxOffsetsPerTrigger "
                + options.sparkMaxOffsetsPerTrigger + ", default (HDFS-backed) state store";
    }

    /** Whether a JDK 17 for Spark is there. */
    static boolean javaAvailable(BenchOptions options) {
        return Files.isExecutable(Path.of(options.sparkJava));
    }

    @Override
    public Map<String, Long> pids() {
        return Map.of("spark", process.pid());
    }

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
