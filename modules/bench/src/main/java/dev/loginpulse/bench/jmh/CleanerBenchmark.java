package dev.loginpulse.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;

/** {@link LoginCleaner#clean(byte[])} on the kinds of raw records the generator sends. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CleanerBenchmark {

    /**
     * {@code clean}: a well-formed login; {@code messy}: cleanable with work (padded lower-case locale, upper-case
     * device type with whitespace, timestamp as a string); {@code broken}: truncated JSON (dead-lettered);
     * {@code missing_user}: valid JSON without user_id (dead-lettered).
     */
    @Param({ "clean", "messy", "broken", "missing_user" })
    public String kind;

    private final LoginCleaner cleaner = LoginCleaner.withDefaults();
    private byte[] input;

    @Setup
    public void setUp() {
        String json = switch (kind) {
            case "clean" -> "{\"user_id\":\"user-4242\",\"app_version\":\"2.3.0\",\"device_type\":\"android\","
                    + "\"ip\":\"10.12.13.14\",\"locale\":\"RI\",\"device_id\":\"device-200a7\","
                    + "\"timestamp\":1694479551}";
            case "messy" -> "{\"user_id\":\"user-4242\",\"app_version\":\"2.3.0\",\"device_type\":\" ANDROID TABLET\\t \","
                    + "\"ip\":\"10.12.13.14\",\"locale\":\"  ri \",\"device_id\":\"device-200a7\","
                    + "\"timestamp\":\"1694479551\"}";
            case "broken" -> "{\"user_id\": \"broken";
            case "missing_user" -> "{\"app_version\":\"2.3.0\",\"device_type\":\"android\",\"ip\":\"10.12.13.14\","
                    + "\"locale\":\"RI\",\"device_id\":\"device-200a7\",\"timestamp\":1694479551}";
            default -> throw new IllegalArgumentException(kind);
        };
        input = json.getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public CleaningResult clean() {
        return cleaner.clean(input);
    }
}
