package dev.loginpulse.deploy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * src/main/docker/Dockerfile.jvm and Dockerfile.native, shared by the four services: documented, pinned, non-root,
 * exposing the service's port, copying only the packaged service, and buildable from the small context .dockerignore
 * leaves.
 */
class DockerfileTest {

    private static final String STATE_DIR = "/var/lib/login-pulse/state";
    private static final Pattern SERVICE_PORT = Pattern.compile("SERVICE=([a-z]+) PORT=([0-9]+)");

    @ParameterizedTest
    @ValueSource(strings = { "jvm", "native" })
    void theHeaderGivesTheExactBuildAndRunCommandsAndTheHealthEndpoints(String mode) {
        String header = Dockerfile.of(mode).header();

        assertThat(header).contains("./mvnw package -DskipTests")
                .contains("docker build -f src/main/docker/Dockerfile." + mode
                        + " --build-arg SERVICE=cleaner --build-arg PORT=8082 -t login-pulse/cleaner .")
                .contains("docker run -i --rm -p 8082:8082 -e KAFKA_BOOTSTRAP_SERVERS=")
                .contains("/q/health/live", "/q/health/ready", "/q/metrics");
        if (mode.equals("native")) {
            assertThat(header).contains("./mvnw package -DskipTests -Dnative");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "jvm", "native" })
    void theHeaderGivesEveryServiceThePortItsApplicationDeclares(String mode) {
        Map<String, Integer> documented = new LinkedHashMap<>();
        Matcher matcher = SERVICE_PORT.matcher(Dockerfile.of(mode).header());
        while (matcher.find()) {
            documented.put(matcher.group(1), Integer.parseInt(matcher.group(2)));
        }

        Map<String, Integer> declared = new LinkedHashMap<>();
        Project.SERVICES.forEach(service -> declared.put(service, Project.httpPort(service)));
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(declared);
    }

    @ParameterizedTest
    @CsvSource({
            "jvm,    registry.access.redhat.com/ubi9/openjdk-21-runtime:[0-9]+\\.[0-9]+(-[0-9.]+)?",
            "native, (quay.io/quarkus/ubi9-quarkus-micro-image:2\\.0|registry.access.redhat.com/ubi9/ubi-minimal:9\\.[0-9]+(-[0-9.]+)?)"
    })
    void theBaseImageIsPinnedToAFixedTag(String mode, String expected) {
        List<String> from = Dockerfile.of(mode).arguments("FROM");

        assertThat(from).singleElement().satisfies(image -> {
            assertThat(image).matches(expected);
            assertThat(image).doesNotContain("$", "latest");
        });
    }

    @ParameterizedTest
    @CsvSource({ "jvm, 185", "native, 1001" })
    void theServiceRunsAsItsNonRootUser(String mode, String user) {
        Dockerfile dockerfile = Dockerfile.of(mode);
        List<String> users = dockerfile.arguments("USER");

        assertThat(users).last().as("the user the container runs as").isEqualTo(user);
        assertThat(dockerfile.indexOfLast("USER")).as("no RUN as root after the final USER")
                .isGreaterThan(dockerfile.indexOfLast("RUN"));
        for (String copy : dockerfile.arguments("COPY")) {
            assertThat(copy).as("the user can read what it runs").startsWith("--chown=" + user + ":0 ");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "jvm", "native" })
    void theServiceAndItsPortAreBuildArgumentsAndThePortIsExposedAndListenedOn(String mode) {
        Dockerfile dockerfile = Dockerfile.of(mode);

        assertThat(dockerfile.arguments("ARG")).contains("SERVICE").anyMatch(arg -> arg.matches("PORT(=[0-9]+)?"));
        assertThat(dockerfile.arguments("EXPOSE")).containsExactly("${PORT}");
        assertThat(dockerfile.environment()).containsEntry("QUARKUS_HTTP_PORT", "${PORT}");
        assertThat(dockerfile.arguments("RUN")).singleElement().asString()
                .as("a clear error without --build-arg SERVICE").contains("test -n \"${SERVICE}\"");
    }

    @Test
    void theJvmImageCopiesTheFastJarLayoutInLayersAndRunsIt() {
        Dockerfile dockerfile = Dockerfile.of("jvm");

        assertThat(dockerfile.arguments("COPY")).containsExactly(
                "--chown=185:0 modules/${SERVICE}/target/quarkus-app/lib/ /deployments/lib/",
                "--chown=185:0 modules/${SERVICE}/target/quarkus-app/*.jar /deployments/",
                "--chown=185:0 modules/${SERVICE}/target/quarkus-app/app/ /deployments/app/",
                "--chown=185:0 modules/${SERVICE}/target/quarkus-app/quarkus/ /deployments/quarkus/");
        assertThat(dockerfile.arguments("ENTRYPOINT")).singleElement().asString()
                .contains("\"java\"", "\"-jar\", \"/deployments/quarkus-run.jar\"")
                .contains("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    }

    @Test
    void theNativeImageCopiesOnlyTheServicesExecutable() {
        Dockerfile dockerfile = Dockerfile.of("native");

        assertThat(dockerfile.arguments("COPY"))
                .containsExactly("--chown=1001:0 modules/${SERVICE}/target/${SERVICE}-*-runner /work/application");
        assertThat(dockerfile.arguments("ENTRYPOINT")).containsExactly("[ \"./application\" ]");
    }

    @ParameterizedTest
    @CsvSource({ "jvm, 185", "native, 1001" })
    void theImageHasAWritableTmpAndKafkaStreamsStateDirectory(String mode, String user) {
        Dockerfile dockerfile = Dockerfile.of(mode);
        String run = dockerfile.arguments("RUN").get(0);

        assertThat(run).contains("mkdir -p " + STATE_DIR, "chown -R " + user + ":0 ", "chmod 1777 /tmp");
        assertThat(dockerfile.environment()).containsEntry("PULSE_STATS_STATE_DIR", STATE_DIR);
    }

    @Test
    void theBuildContextHoldsOnlyThePackagedServicesAndEverythingTheDockerfilesCopy() {
        List<String> patterns = Arrays.stream(Project.read(".dockerignore").split("\n"))
                .map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        assertThat(patterns).containsExactly("*", "!modules/*/target/quarkus-app", "!modules/*/target/*-runner");
        List<PathMatcher> included = patterns.stream().filter(p -> p.startsWith("!"))
                .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p.substring(1))).toList();
        for (String mode : List.of("jvm", "native")) {
            for (String copy : Dockerfile.of(mode).arguments("COPY")) {
                String[] parts = copy.split(" ");
                for (String service : Project.SERVICES) {
                    String source = parts[1].replace("${SERVICE}", service).replace("*", "x");
                    assertThat(coveredBy(Path.of(source), included)).as("%s (%s) is in the build context", source,
                            mode).isTrue();
                }
            }
        }
    }

    /** A path is in the context when it, or a parent directory, matches a re-included pattern. */
    private static boolean coveredBy(Path path, List<PathMatcher> matchers) {
        for (Path prefix = path; prefix != null; prefix = prefix.getParent()) {
            Path candidate = prefix;
            if (matchers.stream().anyMatch(m -> m.matches(candidate))) {
                return true;
            }
        }
        return false;
    }

    /** A Dockerfile as its leading comment block and its instructions (continuation lines joined). */
    record Dockerfile(String header, List<String[]> instructions) {

        static Dockerfile of(String mode) {
            List<String> lines = Project.read("src/main/docker/Dockerfile." + mode).lines().toList();
            StringBuilder header = new StringBuilder();
            int index = 0;
            while (index < lines.size() && (lines.get(index).startsWith("#") || lines.get(index).isBlank())) {
                header.append(lines.get(index)).append('\n');
                index++;
            }
            List<String[]> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : lines.subList(index, lines.size())) {
                String trimmed = line.trim();
                if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                current.append(trimmed);
                String instruction = current.toString().replaceAll("\\s+", " ");
                int space = instruction.indexOf(' ');
                instructions.add(new String[] { instruction.substring(0, space), instruction.substring(space + 1) });
                current.setLength(0);
            }
            return new Dockerfile(header.toString(), instructions);
        }

        List<String> arguments(String keyword) {
            return instructions.stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
        }

        int indexOfLast(String keyword) {
            for (int i = instructions.size() - 1; i >= 0; i--) {
                if (instructions.get(i)[0].equals(keyword)) {
                    return i;
                }
            }
            return -1;
        }

        /** Every {@code ENV key=value} (several per instruction allowed; values without spaces). */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String arguments : arguments("ENV")) {
                for (String pair : arguments.split(" ")) {
                    int equals = pair.indexOf('=');
                    env.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
            return env;
        }
    }
}
