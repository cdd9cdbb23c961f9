package dev.loginpulse.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

class CommandsTest {

    private static final Path HERE = Path.of(".");

    @Test
    void finishedCommandGivesItsExitCodeAndMergedOutput() {
        Commands.Result result = Commands.run(HERE, Duration.ofSeconds(30), "bash", "-c", "echo out; echo err >&2; exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).contains("out", "err");
    }

    @Test
    void hangingCommandFailsAtTheTimeoutWithItsOutputAndNothingItStartedSurvives() {
        // a command that starts a child and then hangs, as a stuck buildah or docker-compose would
        Throwable failure = catchThrowable(() -> Commands.run(HERE, Duration.ofSeconds(2), List.of("bash", "-c",
                "sleep 300 & echo child=$!; echo waiting; wait")));

        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("did not finish within PT2S")
                .hasMessageContaining("waiting");
        long child = Long.parseLong(failure.getMessage().replaceAll("(?s).*child=(\\d+).*", "$1"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ProcessHandle.of(child).map(handle -> !handle.isAlive()).orElse(true));
    }
}
