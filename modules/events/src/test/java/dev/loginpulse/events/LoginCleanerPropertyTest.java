package dev.loginpulse.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random input, seeded: the cleaner never throws, every input is exactly one of cleaned or rejected, and what it
 * cleans always satisfies the contract.
 */
class LoginCleanerPropertyTest {

    private static final String[] VALUES = { "\"RI\"", "\" ny \"", "null", "42", "1.5", "true", "{}", "[]", "\"\"",
            "\"  \"", "\"<script>\"", "\"\\u0000\"", "\"\\u00a0A n\\u3000d\"", "-1", "\"1694479551\"", "1694479551",
            "1694479551999", "9223372036854775808", "\"x\"", "{\"a\":[1,2]}" };
    private static final String[] FIELDS = { "user_id", "app_version", "device_type", "ip", "locale", "device_id",
            "timestamp", "extra" };

    private final LoginCleaner cleaner = LoginCleaner.withDefaults();

    @Test
    void everyInputIsEitherCleanedOrRejectedAndCleanedRecordsKeepTheContract() {
        SplittableRandom random = new SplittableRandom(7);
        int cleaned = 0;
        int rejected = 0;
        int inputs = 30_000;
        for (int i = 0; i < inputs; i++) {
            byte[] input = switch (i % 3) {
                case 0 -> randomObject(random);
                case 1 -> mutate(randomObject(random), random);
                default -> randomBytes(random);
            };
            CleaningResult result = cleaner.clean(input);
            if (result instanceof CleaningResult.Cleaned c) {
                cleaned++;
                assertContract(c.login());
            } else if (result instanceof CleaningResult.Rejected r) {
                rejected++;
                assertThat(r.reason()).isNotNull();
                assertThat(r.detail()).isNotBlank();
            }
        }
        assertThat(cleaned + rejected).isEqualTo(inputs);
        assertThat(cleaned).as("cleaned").isGreaterThan(1_000);
        assertThat(rejected).as("rejected").isGreaterThan(1_000);
    }

    private static void assertContract(CleanLogin login) {
        assertThat(login.timestamp()).isNotNull();
        assertThat(Instant.parse(login.timestamp()).getNano()).isZero();
        assertThat(login.timestamp()).endsWith("Z").doesNotContain(".");
        assertThat(login.locale()).satisfiesAnyOf(
                locale -> assertThat(UsState.fromCode(locale)).isPresent(),
                locale -> assertThat(locale).isEqualTo(UsState.UNKNOWN));
        assertThat(login.deviceType()).isNotEmpty().isLowerCase()
                .matches(type -> type.codePoints().noneMatch(LoginCleaner::isWhitespace), "has no whitespace");
        assertThat(login.userId()).isNotBlank();
        assertThat(login.appVersion()).isNotBlank();
        assertThat(login.ip()).isNotBlank();
        assertThat(login.deviceId()).isNotBlank();
    }

    /** Half of the objects start from a valid user and timestamp, so that both outcomes are well exercised. */
    private static byte[] randomObject(SplittableRandom random) {
        StringBuilder json = new StringBuilder("{");
        boolean plausible = random.nextBoolean();
        if (plausible) {
            json.append("\"user_id\":\"u").append(random.nextInt(100)).append("\",\"timestamp\":")
                    .append(random.nextLong(1_700_000_000L));
        }
        int fields = random.nextInt(9);
        for (int f = 0; f < fields; f++) {
            if (f > 0 || plausible) {
                json.append(',');
            }
            String name = plausible ? FIELDS[2 + random.nextInt(FIELDS.length - 2)]
                    : FIELDS[random.nextInt(FIELDS.length)];
            if (plausible && name.equals("timestamp")) {
                name = "extra";
            }
            String value = name.equals("user_id") && random.nextBoolean() ? "\"user-" + random.nextInt(100) + "\""
                    : name.equals("timestamp") && random.nextBoolean() ? String.valueOf(random.nextLong(1_800_000_000L))
                            : VALUES[random.nextInt(VALUES.length)];
            json.append('"').append(name).append("\":").append(value);
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutate(byte[] input, SplittableRandom random) {
        byte[] copy = input.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                return java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
            }
            case 1 -> copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            default -> {
                return ("[" + new String(copy, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
            }
        }
        return copy;
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        return bytes;
    }
}
