package dev.loginpulse.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The cleaner's native image ({@code Dockerfile.native}) on a stand-in for {@code ubi9-quarkus-micro-image}: the
 * shared libraries the executable loads, plus bash and the tools the RUN step uses ({@code stand-in-micro.sh}).
 * Skipped until the native executable is built ({@code ./mvnw package -Dnative}); CI builds it.
 */
class NativeImageIT extends ImageCheck {

    NativeImageIT() {
        super("native");
    }

    @Override
    Path application() {
        Path target = Path.of("modules", SERVICE, "target");
        try (Stream<Path> files = Files.list(Project.root().resolve(target))) {
            return files.filter(file -> file.getFileName().toString().matches(SERVICE + "-.*-runner"))
                    .filter(Files::isRegularFile).findFirst().map(file -> target.resolve(file.getFileName()))
                    .orElse(target.resolve(SERVICE + "-<version>-runner"));
        } catch (IOException e) {
            return target.resolve(SERVICE + "-<version>-runner");
        }
    }

    @Override
    String buildCommand() {
        return "./mvnw package -Dnative -pl modules/" + SERVICE + " -am";
    }

    @Override
    Commands.Result standInRootfs(Path base, Path rootfs) {
        return Commands.run(base, Duration.ofMinutes(5), "bash",
                Project.file("modules/deploy/src/test/resources/stand-in-micro.sh").toString(),
                Project.root().resolve(application()).toString(), rootfs.toString());
    }

    @Override
    String standInConfig() {
        return """
                ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
                USER 1001
                WORKDIR /work
                """;
    }

    @Override
    String user() {
        return "1001";
    }

    /** The application's directory and the stats state directory, both chowned to 1001 by the Dockerfile's RUN. */
    @Override
    List<String> directoriesTheUserOwns() {
        return List.of("/work", "/var/lib/login-pulse/state");
    }

    @Override
    String entrypoint() {
        return "./application";
    }
}
