package dev.loginpulse.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.loginpulse.events.CleanLogin;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.StateStats;

/** The contract's {@link JsonSerde}s, as the cleaner (CleanLogin out), stats (both) and the dashboard use them. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SerdeBenchmark {

    private final JsonSerde<CleanLogin> cleanLogins = JsonSerde.cleanLogin();
    private final JsonSerde<StateStats> stateStats = JsonSerde.stateStats();
    private CleanLogin login;
    private byte[] loginBytes;
    private StateStats stats;
    private byte[] statsBytes;

    @Setup
    public void setUp() {
        login = new CleanLogin("2023-09-12T00:45:51Z", "RI", "android", "user-4242", "2.3.0", "10.12.13.14",
                "device-200a7");
        loginBytes = cleanLogins.serialize("t", login);
        stats = new StateStats("RI", "2023-09-12T00:45:00Z", "2023-09-12T00:46:00Z", 1234, 987, 123456,
                "2023-09-12T00:45:51Z");
        statsBytes = stateStats.serialize("t", stats);
    }

    @Benchmark
    public byte[] serializeCleanLogin() {
        return cleanLogins.serialize("user-login-clean", login);
    }

    @Benchmark
    public CleanLogin deserializeCleanLogin() {
        return cleanLogins.deserialize("user-login-clean", loginBytes);
    }

    @Benchmark
    public byte[] serializeStateStats() {
        return stateStats.serialize("user-login-stats", stats);
    }

    @Benchmark
    public StateStats deserializeStateStats() {
        return stateStats.deserialize("user-login-stats", statsBytes);
    }
}
