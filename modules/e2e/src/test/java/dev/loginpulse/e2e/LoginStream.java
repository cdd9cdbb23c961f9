package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.UsState;

/**
 * A deterministic stream of raw logins for the fault tests: realistic records, one in twenty of them not cleanable,
 * with the ground truth (clean logins per state) kept as they are made. The cleaning rules themselves are proven by the
 * unit tests of {@link LoginCleaner}; here they are the oracle.
 */
final class LoginStream {

    private static final UsState[] STATES = UsState.values();

    private final SplittableRandom random;
    private final LoginCleaner rules = LoginCleaner.withDefaults();
    /**
     * The first login's second: a minute ago, so that no login of a stream paced faster than 5,000 per second is
     * stamped after the clock (stats counts those at its clock's time, which the truth could not predict).
     */
    private final long start = Instant.now().getEpochSecond() - 60;
    private final WindowTruth windows = new WindowTruth();
    private final Map<String, Long> cleanByState = new HashMap<>();
    private final Map<String, Long> cleanByDayAndState = new HashMap<>();
    private long deadLetters;

    LoginStream(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next raw value; its expected outcome is added to the ground truth. */
    byte[] next(int i) {
        String state = random.nextInt(25) == 0 ? " " + STATES[random.nextInt(STATES.length)].code().toLowerCase()
                : random.nextInt(30) == 0 ? "ZZ" : STATES[random.nextInt(STATES.length)].code();
        String json;
        if (random.nextInt(20) == 0) {
            json = random.nextBoolean() ? "{\"locale\":\"" + state + "\",\"timestamp\":" + start + "}"
                    : "garbage-" + i;
        } else {
            json = "{\"user_id\":\"user-" + random.nextInt(50_000) + "\",\"app_version\":\"2.3.0\",\"device_type\":\""
                    + (random.nextBoolean() ? "android" : " iOS ") + "\",\"ip\":\"10.0.0." + random.nextInt(255)
                    + "\",\"locale\":\"" + state + "\",\"device_id\":\"d-" + i + "\",\"timestamp\":"
                    + (start + i / 5_000) + "}";
        }
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        if (rules.clean(value) instanceof CleaningResult.Cleaned cleaned) {
            cleanByState.merge(cleaned.login().locale(), 1L, Long::sum);
            cleanByDayAndState.merge(cleaned.login().timestamp().substring(0, 10) + " " + cleaned.login().locale(), 1L,
                    Long::sum);
            windows.add(cleaned.login().locale(), Instant.parse(cleaned.login().timestamp()).getEpochSecond(),
                    cleaned.login().userId());
        } else {
            deadLetters++;
        }
        return value;
    }

    /** Clean logins per state of everything made so far: what the dashboard must show. */
    Map<String, Long> cleanByState() {
        return Map.copyOf(cleanByState);
    }

    /** Clean logins per {@code <UTC day> <state>}, e.g. {@code "2026-12-07 TX"}: what the lake must hold. */
    Map<String, Long> cleanByDayAndState() {
        return Map.copyOf(cleanByDayAndState);
    }

    /** Every (state, window) figure of everything made so far. */
    WindowTruth windows() {
        return windows;
    }

    long cleanCount() {
        return cleanByState.values().stream().mapToLong(Long::longValue).sum();
    }

    long deadLetterCount() {
        return deadLetters;
    }
}
