package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded corpus of raw {@code user-login} values that real producers and attackers send: invalid UTF-8, empty and
 * null values, values over a megabyte, deeply nested JSON, wrong types, out-of-range timestamps, Unicode whitespace,
 * markup in locales, duplicated keys, NUL bytes, fields present or absent, and well-formed records between them.
 * Every value fits the broker's limit for the raw topic; values the broker refuses are out of scope.
 */
final class HostileCorpus {

    private static final String[] LOCALES = { "RI", " ny ", "ca", "TX", "PR", "dc", "ZZ", "", "  ", "UNK",
            "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "R\u0000I", "NY\u200B", "\u00A0WA\u3000",
            "ʀɪ", "{{7*7}}", "${jndi:ldap://x}" };
    private static final String[] DEVICES = { "android", " Android Tablet ", "i\u00A0Phone", "web\u2003app", "IOS\t",
            "\u200Bzero\u200Bwidth", "", "   ", "\u0000", "<b>bold</b>", "x".repeat(600) };
    private static final String[] TIMESTAMPS = { "1694479551", "\"1694479551\"", "\" 1694479551 \"", "1694479551999",
            "-1", "0", "-62167219200", "253402300800", "9223372036854775807", "9223372036854775808",
            "18446744073709551616", "1e400", "1.5", "\"\"", "\"abc\"", "true", "null", "[]", "{}", "\"-5\"",
            "\"1694479551.0\"", "99999999999999999999999", "1694479551.964", "\"1.694479551e9\"",
            "\"2023-09-12T01:45:51.5+01:00\"", "\"2023-09-12T00:45:51Z\"", "\"2023-09-12T00:45:51\"", "1e-999999999",
            "\"1969-12-31T23:59:59Z\"" };

    private final SplittableRandom random;
    private final long now = Instant.now().getEpochSecond();

    HostileCorpus(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** {@code count} raw values; {@code null} stands for a tombstone (a record without a value). */
    List<byte[]> generate(int count) {
        List<byte[]> values = new ArrayList<>(count);
        values.add(huge(5 * 1024 * 1024));
        values.add(huge(1024 * 1024 + 17));
        values.add(deeplyNested(100_000));
        for (int i = values.size(); i < count; i++) {
            values.add(next(i));
        }
        return values;
    }

    private byte[] next(int i) {
        return switch (random.nextInt(16)) {
            case 0 -> invalidUtf8();
            case 1 -> random.nextBoolean() ? new byte[0] : null;
            case 2 -> deeplyNested(10 + random.nextInt(2_000));
            case 3 -> utf8(record(i, "\"user_id\":" + random.nextInt(1000), true));
            case 4 -> utf8(record(i, "\"user_id\":{\"id\":1}", true));
            case 5 -> utf8(record(i, "\"user_id\":\"u" + i + "\",\"user_id\":\"v" + i + "\"", true));
            case 6 -> utf8(withNulBytes(record(i, userId(i), true)));
            case 7 -> utf8("{" + field("user_id", "u" + (i % 500)) + ",\"timestamp\":"
                    + TIMESTAMPS[random.nextInt(TIMESTAMPS.length)] + "}");
            case 8 -> utf8(record(i, userId(i), false));
            case 9 -> utf8("[" + record(i, userId(i), true) + "]");
            case 10 -> utf8(record(i, userId(i), true) + (random.nextBoolean() ? " trailing" : " {\"x\":1}"));
            case 11 -> utf8(truncate(record(i, userId(i), true)));
            case 12 -> utf8("{\"user_id\":\"" + "u".repeat(400 + random.nextInt(4_000)) + "\",\"timestamp\":" + now
                    + "}");
            default -> utf8(record(i, userId(i), true));
        };
    }

    /** A login with random hostile field values; {@code withTimestamp} false leaves the timestamp out. */
    private String record(int i, String userIdField, boolean withTimestamp) {
        StringBuilder json = new StringBuilder("{").append(userIdField);
        if (random.nextInt(4) != 0) {
            json.append(',').append(field("locale", LOCALES[random.nextInt(LOCALES.length)]));
        }
        if (random.nextInt(4) != 0) {
            json.append(',').append(field("device_type", DEVICES[random.nextInt(DEVICES.length)]));
        }
        if (random.nextBoolean()) {
            json.append(",\"app_version\":").append(random.nextBoolean() ? "3.0" : "\"2.3.0\"");
        }
        if (random.nextBoolean()) {
            json.append(',').append(field("ip", random.nextBoolean() ? "10.0.0." + (i % 255) : "::1"));
        }
        if (random.nextBoolean()) {
            json.append(',').append(field("device_id", "d" + i));
        }
        if (random.nextInt(5) == 0) {
            json.append(",\"extra\":{\"deep\":[1,2,{\"x\":null}],\"n\":1e308}");
        }
        if (withTimestamp) {
            String timestamp = random.nextInt(3) == 0 ? TIMESTAMPS[random.nextInt(TIMESTAMPS.length)]
                    : String.valueOf(now - random.nextInt(120));
            json.append(",\"timestamp\":").append(timestamp);
        }
        return json.append('}').toString();
    }

    private String userId(int i) {
        return random.nextInt(10) == 0 ? field("user_id", random.nextBoolean() ? "" : " \t ")
                : field("user_id", "u" + (i % 500));
    }

    private static String field(String name, String value) {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return "\"" + name + "\":\"" + escaped + "\"";
    }

    private String withNulBytes(String json) {
        // A raw NUL inside a string is invalid JSON; an escaped one is valid and must survive cleaning.
        return random.nextBoolean() ? json.replace("\"u", "\"\u0000u") : json.replace("\"u", "\"\\u0000u");
    }

    private String truncate(String json) {
        return json.substring(0, 1 + random.nextInt(json.length() - 1));
    }

    private byte[] invalidUtf8() {
        byte[] bytes = utf8("{\"user_id\":\"u\",\"locale\":\"RI\",\"timestamp\":" + now + "}");
        bytes[12 + random.nextInt(3)] = (byte) (0x80 + random.nextInt(0x40));
        if (random.nextBoolean()) {
            bytes = Arrays.copyOf(bytes, bytes.length + 2);
            bytes[bytes.length - 2] = (byte) 0xC3;
            bytes[bytes.length - 1] = (byte) 0x28;
        }
        return bytes;
    }

    private byte[] deeplyNested(int depth) {
        return utf8("{\"user_id\":\"u\",\"timestamp\":" + now + ",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
    }

    private byte[] huge(int bytes) {
        String prefix = "{\"user_id\":\"huge\",\"timestamp\":" + now + ",\"padding\":\"";
        return utf8(prefix + "p".repeat(bytes - prefix.length() - 2) + "\"}");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
