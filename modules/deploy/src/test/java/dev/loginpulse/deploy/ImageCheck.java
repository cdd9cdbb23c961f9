package dev.loginpulse.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.loginpulse.devbroker.KafkaBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds the cleaner's image from {@code src/main/docker/Dockerfile.<kind>} without a Docker engine (buildah, chroot
 * isolation, vfs storage) and runs it (podman, host network, read-only root filesystem) against a real Kafka broker
 * until it is ready.
 * <p>
 * No image can be pulled here, so the base image is a stand-in tagged with the Dockerfile's exact FROM name, made by a
 * script of {@code src/test/resources}: the tools the RUN step uses and the libraries the application loads. What this
 * proves: the Dockerfile builds from the context .dockerignore leaves, the image runs as its non-root user on a
 * read-only root (a write to a directory the user owns, and can write to without {@code --read-only}, is refused as
 * a read-only file system) with the application in place, listens on its port, reaches Kafka and answers
 * /q/health/ready, and the health check of docker-compose.yml works inside it. What it cannot prove: anything about the real
 * base image's
 * contents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ImageCheck {

    static final String SERVICE = "cleaner";
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(5);

    private final String kind;
    private final String image;
    private Path work;
    private Path runRoot;
    private List<String> buildah;
    private List<String> podman;

    /** @param kind {@code jvm} or {@code native}: the Dockerfile's suffix */
    ImageCheck(String kind) {
        this.kind = kind;
        this.image = "localhost/login-pulse/" + SERVICE + ":it-" + kind;
    }

    /** What the image runs, relative to the repository root; the test is skipped if it is not built. */
    abstract Path application();

    /** The build command that makes {@link #application()}. */
    abstract String buildCommand();

    /** Assembles the stand-in base's root filesystem in {@code rootfs}. */
    abstract Commands.Result standInRootfs(Path base, Path rootfs);

    /** The Containerfile lines after {@code FROM scratch} and {@code COPY rootfs/ /}. */
    abstract String standInConfig();

    /** The user the image runs as. */
    abstract String user();

    /**
     * Directories of the image that its Dockerfile gives to {@link #user()}: writable by the application without
     * {@code --read-only}, so only a read-only root can refuse a write there.
     */
    abstract List<String> directoriesTheUserOwns();

    /** What the image's entrypoint must name. */
    abstract String entrypoint();

    @BeforeAll
    void buildTheImageOnAStandInBase() throws IOException {
        assumeTrue(Commands.onPath("buildah").isPresent() && Commands.onPath("podman").isPresent()
                && Commands.onPath("runc").isPresent(),
                "buildah, podman and runc are not all installed: skipping the " + kind + " image build and run "
                        + "(.ci/run installs them from Debian)");
        assumeTrue("root".equals(System.getProperty("user.name")),
                "buildah --isolation chroot and podman need root here: skipping the " + kind + " image build and run");
        assumeTrue(Files.exists(Project.root().resolve(application())),
                application() + " is not built: run " + buildCommand() + " first");

        work = Project.file("modules/deploy/target/containers-" + kind);
        deleteRecursively(work);
        Files.createDirectories(work);
        // podman refuses a runroot longer than 50 characters, and a checkout's path can be any length.
        runRoot = Files.createTempDirectory(Path.of("/tmp"), "lp-run-");
        List<String> storage = List.of("--root", work.resolve("storage").toString(), "--runroot",
                runRoot.toString(), "--storage-driver", "vfs");
        buildah = Commands.concat(List.of("buildah"), storage.toArray(String[]::new));
        podman = Commands.concat(List.of("podman"), storage.toArray(String[]::new));

        String baseImage = DockerfileTest.Dockerfile.of(kind).arguments("FROM").get(0);
        Path base = work.resolve("base");
        Files.createDirectories(base);
        succeed(standInRootfs(base, base.resolve("rootfs")));
        Files.writeString(base.resolve("Containerfile"), "FROM scratch\nCOPY rootfs/ /\n" + standInConfig());
        succeed(Commands.run(base, Duration.ofMinutes(5),
                Commands.concat(buildah, "bud", "--isolation", "chroot", "-f", "Containerfile", "-t", baseImage, ".")));

        succeed(Commands.run(Project.root(), BUILD_TIMEOUT, Commands.concat(buildah, "bud", "--isolation", "chroot",
                "--pull-never", "-f", "src/main/docker/Dockerfile." + kind, "--build-arg", "SERVICE=" + SERVICE,
                "--build-arg", "PORT=" + Project.httpPort(SERVICE), "-t", image, ".")));
    }

    @AfterAll
    void removeTheStorage() {
        if (work != null) {
            deleteRecursively(work);
        }
        if (runRoot != null) {
            deleteRecursively(runRoot);
        }
    }

    @Test
    void theImageRunsAsItsNonRootUserOnItsApplicationPortWithTheStateDirectorySet() throws IOException {
        String inspect = succeed(Commands.run(work, Duration.ofMinutes(1),
                Commands.concat(buildah, "inspect", "--type", "image", image))).output();
        JsonNode config = new ObjectMapper().readTree(inspect).path("OCIv1").path("config");
        int port = Project.httpPort(SERVICE);

        assertThat(config.path("User").asText()).isEqualTo(user());
        assertThat(config.path("ExposedPorts").has(port + "/tcp")).as(config.toString()).isTrue();
        assertThat(config.path("Env").toString()).contains("QUARKUS_HTTP_PORT=" + port,
                "PULSE_STATS_STATE_DIR=/var/lib/login-pulse/state");
        assertThat(config.path("Entrypoint").toString()).contains(entrypoint());
    }

    @Test
    void theImageBecomesReadyAgainstARealBrokerOnAReadOnlyRootAndPassesTheComposeHealthCheck() throws IOException {
        int port = KafkaBroker.freePort();
        String container = "login-pulse-" + SERVICE + "-it-" + kind;
        try (KafkaBroker broker = KafkaBroker.builder().build().start()) {
            succeed(Commands.run(work, Duration.ofMinutes(2), Commands.concat(podman, "--runtime", "runc", "run",
                    "-d", "--name", container, "--read-only", "--network", "host",
                    "--ulimit", "nofile=10000:10000", "--ulimit", "nproc=1000:1000",
                    "-e", "KAFKA_BOOTSTRAP_SERVERS=" + broker.bootstrapServers(),
                    "-e", "QUARKUS_HTTP_PORT=" + port, image)));
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .ignoreExceptions()
                        .failFast("the container stopped", () -> !running(container))
                        .until(() -> http.send(HttpRequest.newBuilder(ready).build(),
                                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

                Commands.Result uid = exec(container, "echo $UID");
                assertThat(uid.output().trim()).as(uid.describe()).isEqualTo(user());
                Commands.Result healthCheck = exec(container, composeHealthCheck(SERVICE)
                        .replace("/" + Project.httpPort(SERVICE) + " ", "/" + port + " "));
                assertThat(healthCheck.exitCode()).as(healthCheck.describe()).isZero();
                // bash builtins only: the stand-in bases have no touch or stat
                for (String directory : directoriesTheUserOwns()) {
                    Commands.Result owned = exec(container, "test -d " + directory + " && test -O " + directory);
                    assertThat(owned.exitCode()).as("%s is a directory of user %s: %s", directory, user(),
                            owned.describe()).isZero();
                    Commands.Result write = exec(container, ": > " + directory + "/read-only-probe");
                    assertThat(write.exitCode()).as(write.describe()).isNotZero();
                    assertThat(write.output()).as("why %s refused the write: %s", directory, write.describe())
                            .contains("Read-only file system");
                }
            } finally {
                String logs = Commands.run(work, Duration.ofMinutes(1), Commands.concat(podman, "logs", container))
                        .output();
                Commands.run(work, Duration.ofMinutes(1), Commands.concat(podman, "rm", "-f", container));
                System.out.println("--- " + container + " log ---\n" + logs);
            }
        }
    }

    /**
     * The other half of the read-only check above: without {@code --read-only} the image's user owns each of its
     * directories and creates a file in it, so the refusal there comes from the read-only root, not from the
     * permissions.
     */
    @Test
    void withoutAReadOnlyRootTheImageUserWritesToItsOwnDirectories() {
        for (String directory : directoriesTheUserOwns()) {
            String probe = directory + "/writable-probe";
            Commands.Result write = Commands.run(work, Duration.ofMinutes(2), Commands.concat(podman, "--runtime",
                    "runc", "run", "--rm", "--network", "none", "--ulimit", "nofile=10000:10000", "--ulimit",
                    "nproc=1000:1000", "--entrypoint", "bash", image, "-c",
                    "echo $UID && test -O " + directory + " && : > " + probe + " && test -O " + probe));

            assertThat(write.exitCode()).as("user %s writes %s: %s", user(), probe, write.describe()).isZero();
            assertThat(write.output().trim()).as(write.describe()).isEqualTo(user());
        }
    }

    @Test
    void buildingWithoutAServiceFailsWithAClearMessage() {
        Commands.Result result = Commands.run(Project.root(), BUILD_TIMEOUT, Commands.concat(buildah, "bud",
                "--isolation", "chroot", "--pull-never", "-f", "src/main/docker/Dockerfile." + kind, "-t",
                "localhost/login-pulse/nothing:it", "."));

        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.output()).contains("Pass --build-arg SERVICE=<generator|cleaner|stats|archiver|dashboard>");
    }

    /** The service's health-check command from docker-compose.yml, as the container's bash receives it. */
    private String composeHealthCheck(String service) throws IOException {
        JsonNode test = new YAMLMapper().readTree(Project.file("docker-compose.yml").toFile())
                .path("services").path(service).path("healthcheck").path("test");
        assertThat(test.get(1).asText() + " " + test.get(2).asText()).isEqualTo("bash -c");
        return test.get(3).asText().replace("$$", "$");
    }

    private Commands.Result exec(String container, String script) {
        return Commands.run(work, Duration.ofMinutes(1), Commands.concat(podman, "exec", container, "bash", "-c",
                script));
    }

    private boolean running(String container) {
        Commands.Result state = Commands.run(work, Duration.ofMinutes(1), Commands.concat(podman, "inspect",
                "--format", "{{.State.Running}}", container));
        return state.succeeded() && state.output().trim().equals("true");
    }

    private static Commands.Result succeed(Commands.Result result) {
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot delete " + path, e);
            }
        }
    }
}
