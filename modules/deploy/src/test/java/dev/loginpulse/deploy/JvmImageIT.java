package dev.loginpulse.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The cleaner's JVM image ({@code Dockerfile.jvm}) on a stand-in for {@code ubi9/openjdk-21-runtime}: this machine's
 * JDK where the real image keeps its JRE, plus bash and the tools the RUN step uses ({@code stand-in-base.sh}).
 */
class JvmImageIT extends ImageCheck {

    JvmImageIT() {
        super("jvm");
    }

    @Override
    Path application() {
        return Path.of("modules", SERVICE, "target", "quarkus-app", "quarkus-run.jar");
    }

    @Override
    String buildCommand() {
        return "./mvnw package";
    }

    @Override
    Commands.Result standInRootfs(Path base, Path rootfs) {
        return Commands.run(base, Duration.ofMinutes(5), "bash",
                Project.file("modules/deploy/src/test/resources/stand-in-base.sh").toString(),
                System.getProperty("java.home"), rootfs.toString());
    }

    @Override
    String standInConfig() {
        return """
                ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin JAVA_HOME=/usr/lib/jvm/jre-21
                USER 185
                WORKDIR /home/jboss
                """;
    }

    @Override
    String user() {
        return "185";
    }

    /** The stats state directory (PULSE_STATS_STATE_DIR), chowned to 185 by the Dockerfile's RUN. */
    @Override
    List<String> directoriesTheUserOwns() {
        return List.of("/var/lib/login-pulse/state");
    }

    @Override
    String entrypoint() {
        return "/deployments/quarkus-run.jar";
    }
}
