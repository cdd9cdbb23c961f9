package dev.loginpulse.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's files the deployment tests compare against: the services' own configuration and the contract. */
final class Project {

    /** The five deployables, in pipeline order: folder = artifactId = application name = image name = app label. */
    static final List<String> SERVICES = List.of("generator", "cleaner", "stats", "archiver", "dashboard");

    /**
     * Deployables built as JVM jars only, also under {@code -Dnative} (the launcher's {@code Service.nativeExecutable};
     * docs/native.md): their images always come from {@code Dockerfile.jvm}.
     */
    static final List<String> JVM_ONLY = List.of("archiver");

    private static final Pattern ENV_VAR = Pattern.compile("\\b((?:KAFKA|PULSE)_[A-Z0-9_]+)\\b");

    private Project() {
    }

    /** The repository root: {@code pulse.home} (set by the build), else the nearest parent with {@code mvnw}. */
    static Path root() {
        String home = System.getProperty("pulse.home");
        if (home != null && !home.isBlank()) {
            return Path.of(home).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("modules"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the repository root; set -Dpulse.home");
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(file(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service's own {@code application.properties}. */
    static Properties applicationProperties(String service) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(
                file("modules/" + service + "/src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** {@code quarkus.http.port} of the service, as the service itself declares it. */
    static int httpPort(String service) {
        String port = applicationProperties(service).getProperty("quarkus.http.port");
        if (port == null) {
            throw new IllegalStateException(service + " declares no quarkus.http.port");
        }
        return Integer.parseInt(port.trim());
    }

    /**
     * The environment variables the docs name ({@code KAFKA_*}, {@code PULSE_*}): the configuration keys of
     * docs/contracts.md and the Kafka security variables of docs/reliability.md.
     */
    static Set<String> documentedEnvironmentVariables() {
        Set<String> names = new TreeSet<>();
        for (String doc : List.of("docs/contracts.md", "docs/reliability.md")) {
            Matcher matcher = ENV_VAR.matcher(read(doc));
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }
}
