package dev.loginpulse.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-style tests of {@link LoginCleaner} over seeded random input (plain JUnit, no property-testing library).
 * The seed is fixed so that a failure reproduces; {@code -Dloginpulse.property.seed=<n>} explores other inputs.
 */
class LoginCleanerPropertyTest {

    private static final long SEED = Long.getLong("loginpulse.property.seed", 20230912L);
    /** Inputs per generator in {@link #everyInputIsCleanedOrRejectedAndNeverBreaksTheContract()}. */
    private static final int RUNS_PER_GENERATOR = 4_000;
    private static final int SMALL_LIMIT = 256;

    private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration SKEW = Duration.ofHours(1);
    private static final long LATEST_SECOND = NOW.plus(SKEW).getEpochSecond();

    private static final String[] KNOWN = { "user_id", "app_version", "device_type", "ip", "locale", "device_id",
            "timestamp" };
    private static final List<String> CLEAN_FIELD_ORDER = List.of("timestamp", "locale", "device_type", "user_id",
            "app_version", "ip", "device_id");
    private static final Set<String> LOCALES = Arrays.stream(UsState.values()).map(UsState::code)
            .collect(Collectors.toUnmodifiableSet());
    private static final Pattern ISO_SECONDS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");

    /** JSON's own insignificant whitespace. */
    private static final String[] JSON_WHITESPACE = { " ", "\t", "\n", "\r" };
    /** Whitespace the device type rule removes: ASCII, Unicode space separators, line separators, zero-width. */
    private static final String[] UNICODE_WHITESPACE = { " ", "\t", "\n", "\r", "\u000B", "\u000C", "\u001F", "\u00A0",
            "\u1680", "\u2000", "\u2003", "\u2007", "\u200A", "\u202F", "\u205F", "\u3000", "\u2028", "\u2029",
            "\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF" };
    /** Whitespace that {@link String#isBlank()} knows (the blank rule of user_id and the pass-through fields). */
    private static final String[] JAVA_WHITESPACE = { " ", "\t", "\n", "\r", "\u000B", "\u000C", "\u2003", "\u3000",
            "\u2028" };
    private static final String[] ODD_TEXT = { "\u0000", "\u0001", "\u007F", "\"", "\\", "/", "\uD800", "\uDC00",
            "\uD83D\uDE00", "é", "ß", "İ", "ı", "Σ", "Ж", "ユ", "<script>", "'", "null", "{", "]", "\u0085", "\u180E" };

    private final LoginCleaner cleaner = new LoginCleaner(LoginCleaner.DEFAULT_MAX_RECORD_BYTES, SKEW,
            Clock.fixed(NOW, ZoneOffset.UTC));
    /** Same rules, small size limit: must agree with {@link #cleaner} on every input up to its limit. */
    private final LoginCleaner smallLimitCleaner = new LoginCleaner(SMALL_LIMIT, SKEW, Clock.fixed(NOW, ZoneOffset.UTC));
    private final JsonSerde<CleanLogin> serde = JsonSerde.cleanLogin();

    // ---------------------------------------------------------------------------------------------------------------
    // properties

    @Test
    void everyInputIsCleanedOrRejectedAndNeverBreaksTheContract() {
        Random random = new Random(SEED);
        Map<String, Function<Random, byte[]>> generators = new LinkedHashMap<>();
        generators.put("random bytes", LoginCleanerPropertyTest::randomBytes);
        generators.put("JSON-ish token soup", LoginCleanerPropertyTest::tokenSoup);
        generators.put("random object", r -> utf8(randomObject(r)));
        generators.put("valid record", r -> utf8(validRecord(r).json()));
        generators.put("byte mutation of a valid record", r -> mutateBytes(utf8(validRecord(r).json()), r));
        generators.put("structural mutation of a valid record", r -> utf8(mutateStructure(validRecord(r), r)));

        Tally tally = new Tally();
        for (int run = 0; run < RUNS_PER_GENERATOR; run++) {
            for (Map.Entry<String, Function<Random, byte[]>> generator : generators.entrySet()) {
                check(generator.getKey(), generator.getValue().apply(random), tally);
            }
        }

        assertThat(tally.violations).as("violations (seed %d)", SEED).isEmpty();
        assertThat(tally.inputs).isGreaterThanOrEqualTo(20_000)
                .isEqualTo(generators.size() * RUNS_PER_GENERATOR)
                .isEqualTo(tally.cleaned + tally.rejected);
        // the generators must reach both outcomes and every reason, or the properties above prove little
        assertThat(tally.cleaned).as("cleaned").isGreaterThan(tally.inputs / 10);
        assertThat(tally.rejected).as("rejected").isGreaterThan(tally.inputs / 10);
        assertThat(tally.reasons.keySet()).as("reasons seen: %s", tally.reasons)
                .containsExactlyInAnyOrder(RejectReason.values());
    }

    @Test
    void wellFormedRecordsAreCleanedExactlyAsTheRulesPredict() {
        Random random = new Random(SEED ^ 0x5DEECE66DL);
        List<String> mismatches = new ArrayList<>();
        int runs = 5_000;
        for (int run = 0; run < runs; run++) {
            Sample sample = validRecord(random);
            CleaningResult result = cleaner.clean(utf8(sample.json()));
            CleaningResult expected = new CleaningResult.Cleaned(sample.expected());
            if (!expected.equals(result) && mismatches.size() < 20) {
                mismatches.add(escape(sample.json()) + "\n    expected " + escape(expected.toString()) + "\n    actual   "
                        + escape(String.valueOf(result)));
            }
        }

        assertThat(mismatches).as("seed %d", SEED).isEmpty();
    }

    @Test
    void recordsAboveTheSizeLimitAreTooLargeAndRecordsWithinItAreParsed() {
        Random random = new Random(SEED + 1);
        int runs = 2_000;
        int tooLarge = 0;
        for (int run = 0; run < runs; run++) {
            byte[] input = random.nextBoolean() ? randomBytes(random) : utf8(validRecord(random).json());
            int limit = 1 + random.nextInt(2 * input.length + 10);
            LoginCleaner limited = new LoginCleaner(limit, SKEW, Clock.fixed(NOW, ZoneOffset.UTC));

            CleaningResult result = limited.clean(input);

            boolean rejectedAsTooLarge = result instanceof CleaningResult.Rejected rejected
                    && rejected.reason() == RejectReason.TOO_LARGE;
            assertThat(rejectedAsTooLarge).as("%d bytes, limit %d: %s", input.length, limit, result)
                    .isEqualTo(input.length > limit);
            if (rejectedAsTooLarge) {
                tooLarge++;
            } else {
                assertThat(result).isEqualTo(cleaner.clean(input));
            }
        }

        assertThat(tooLarge).isBetween(runs / 10, runs - runs / 10);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the invariants

    private static final class Tally {
        int inputs;
        int cleaned;
        int rejected;
        final Map<RejectReason, Integer> reasons = new EnumMap<>(RejectReason.class);
        final List<String> violations = new ArrayList<>();
    }

    private void check(String source, byte[] input, Tally tally) {
        tally.inputs++;
        List<String> problems = new ArrayList<>();
        byte[] original = input.clone();
        CleaningResult result;
        try {
            result = cleaner.clean(input);
        } catch (Throwable e) {
            violation(tally, source, input, "threw " + e);
            return;
        }
        if (result instanceof CleaningResult.Cleaned cleaned) {
            tally.cleaned++;
            checkCleaned(cleaned.login(), problems);
        } else if (result instanceof CleaningResult.Rejected rejected) {
            tally.rejected++;
            tally.reasons.merge(rejected.reason(), 1, Integer::sum);
            checkRejected(rejected, problems);
        } else {
            problems.add("neither cleaned nor rejected: " + result);
        }
        if (!Arrays.equals(input, original)) {
            problems.add("the cleaner modified its input");
        }
        try {
            if (!result.equals(cleaner.clean(input))) {
                problems.add("a second cleaning gave a different result");
            }
            CleaningResult limited = smallLimitCleaner.clean(input);
            if (input.length > SMALL_LIMIT) {
                if (!(limited instanceof CleaningResult.Rejected r) || r.reason() != RejectReason.TOO_LARGE) {
                    problems.add("above a limit of " + SMALL_LIMIT + " but " + limited);
                } else {
                    tally.reasons.merge(RejectReason.TOO_LARGE, 1, Integer::sum);
                }
            } else if (!result.equals(limited)) {
                problems.add("within a limit of " + SMALL_LIMIT + " but " + limited);
            }
        } catch (Throwable e) {
            problems.add("threw on a second cleaning: " + e);
        }
        if (!problems.isEmpty()) {
            violation(tally, source, input, result + ": " + problems);
        }
    }

    private void checkCleaned(CleanLogin login, List<String> problems) {
        if (login == null) {
            problems.add("cleaned to null");
            return;
        }
        List<String> values = Arrays.asList(login.timestamp(), login.locale(), login.deviceType(), login.userId(),
                login.appVersion(), login.ip(), login.deviceId());
        if (values.contains(null)) {
            problems.add("a null field");
            return;
        }
        if (!LOCALES.contains(login.locale()) && !UsState.UNKNOWN.equals(login.locale())) {
            problems.add("locale " + login.locale() + " is no state code");
        }
        String deviceType = login.deviceType();
        if (deviceType.isEmpty() || deviceType.codePoints().anyMatch(LoginCleanerPropertyTest::isWhitespace)) {
            problems.add("device_type is empty or has whitespace");
        }
        if (!deviceType.equals(deviceType.toLowerCase(Locale.ROOT))) {
            problems.add("device_type is not lower case");
        }
        try {
            Instant time = Instant.parse(login.timestamp());
            if (time.getNano() != 0 || !ISO_SECONDS.matcher(login.timestamp()).matches()) {
                problems.add("timestamp is not ISO-8601 with seconds precision");
            }
            if (time.getEpochSecond() < 0 || time.getEpochSecond() > LATEST_SECOND) {
                problems.add("timestamp outside [1970, now + skew]");
            }
        } catch (DateTimeParseException e) {
            problems.add("timestamp does not parse: " + e.getMessage());
        }
        for (String passThrough : List.of(login.userId(), login.appVersion(), login.ip(), login.deviceId())) {
            if (passThrough.isBlank() || passThrough.length() > LoginCleaner.MAX_FIELD_LENGTH) {
                problems.add("a pass-through field is blank or too long");
            }
        }
        try {
            byte[] json = serde.serialize(Topics.USER_LOGIN_CLEAN, login);
            JsonNode tree = Json.MAPPER.readTree(json);
            List<String> names = new ArrayList<>();
            tree.fieldNames().forEachRemaining(names::add);
            if (!names.equals(CLEAN_FIELD_ORDER)) {
                problems.add("serialized fields " + names);
            }
            tree.elements().forEachRemaining(value -> {
                if (!value.isTextual()) {
                    problems.add("serialized non-string " + value);
                }
            });
            if (!login.equals(serde.deserialize(Topics.USER_LOGIN_CLEAN, json))) {
                problems.add("does not survive a serde round trip");
            }
        } catch (Exception e) {
            problems.add("cannot be serialized: " + e);
        }
    }

    private static void checkRejected(CleaningResult.Rejected rejected, List<String> problems) {
        if (rejected.reason() == null) {
            problems.add("rejected without a reason");
        }
        if (rejected.detail() == null || rejected.detail().isBlank()) {
            problems.add("rejected without a detail");
        } else if (!rejected.headerValue().equals(rejected.reason() + ": " + rejected.detail())) {
            problems.add("header value " + rejected.headerValue());
        }
    }

    private static void violation(Tally tally, String source, byte[] input, String what) {
        if (tally.violations.size() < 20) {
            tally.violations.add(source + " #" + tally.inputs + " " + HexFormat.of().formatHex(input) + " ("
                    + escape(new String(input, StandardCharsets.UTF_8)) + "): " + escape(what));
        }
    }

    /** The contract's whitespace: Java whitespace, Unicode space separators and the zero-width characters. */
    private static boolean isWhitespace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x200B || cp == 0x200C || cp == 0x200D
                || cp == 0x2060 || cp == 0xFEFF;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // generators

    /** A raw record that must be cleaned, and what it must be cleaned to, computed from the rules independently. */
    record Sample(List<String[]> members, CleanLogin expected) {

        String json() {
            return join(members, "");
        }
    }

    static Sample validRecord(Random random) {
        List<String[]> members = new ArrayList<>();

        String userId = nonBlankText(random);
        members.add(member("user_id", jsonString(userId, random)));

        String[] passThrough = new String[3];
        String[] passThroughNames = { "app_version", "ip", "device_id" };
        for (int i = 0; i < passThrough.length; i++) {
            switch (random.nextInt(5)) {
                case 0 -> passThrough[i] = LoginCleaner.UNKNOWN; // missing
                case 1 -> {
                    members.add(member(passThroughNames[i], "null"));
                    passThrough[i] = LoginCleaner.UNKNOWN;
                }
                case 2 -> {
                    members.add(member(passThroughNames[i], jsonString(repeat(JAVA_WHITESPACE, random.nextInt(4), random),
                            random)));
                    passThrough[i] = LoginCleaner.UNKNOWN;
                }
                default -> {
                    String value = nonBlankText(random);
                    members.add(member(passThroughNames[i], jsonString(value, random)));
                    passThrough[i] = value;
                }
            }
        }

        String locale;
        switch (random.nextInt(6)) {
            case 0 -> locale = UsState.UNKNOWN; // missing
            case 1 -> {
                members.add(member("locale", "null"));
                locale = UsState.UNKNOWN;
            }
            case 2 -> {
                String[] notStates = { "XX", "", "<script>", "New York", "UNK", "N Y", "NYC", "12", "U S" };
                members.add(member("locale", jsonString(pick(notStates, random), random)));
                locale = UsState.UNKNOWN;
            }
            default -> {
                UsState state = UsState.values()[random.nextInt(UsState.values().length)];
                String code = state.code();
                String cased = switch (random.nextInt(3)) {
                    case 0 -> code;
                    case 1 -> code.toLowerCase(Locale.ROOT);
                    default -> code.substring(0, 1).toLowerCase(Locale.ROOT) + code.substring(1);
                };
                String padded = repeat(UNICODE_WHITESPACE, random.nextInt(3), random) + cased
                        + repeat(UNICODE_WHITESPACE, random.nextInt(3), random);
                members.add(member("locale", jsonString(padded, random)));
                locale = code;
            }
        }

        String deviceType;
        if (random.nextInt(5) == 0) {
            String[] nothing = { null, "null", "\"\"", jsonString(repeat(UNICODE_WHITESPACE, 1 + random.nextInt(5), random),
                    random) };
            String raw = pick(nothing, random);
            if (raw != null) {
                members.add(member("device_type", raw));
            }
            deviceType = LoginCleaner.UNKNOWN;
        } else {
            String[] words = { "Android", "iOS", "Tablet", "Smart", "TV", "web", "DESKTOP", "Gerät", "Écran", "x86", "64" };
            StringBuilder text = new StringBuilder();
            StringBuilder letters = new StringBuilder();
            text.append(repeat(UNICODE_WHITESPACE, random.nextInt(3), random));
            for (int w = 1 + random.nextInt(3); w > 0; w--) {
                String word = pick(words, random);
                text.append(word).append(repeat(UNICODE_WHITESPACE, random.nextInt(3), random));
                letters.append(word);
            }
            members.add(member("device_type", jsonString(text.toString(), random)));
            deviceType = letters.toString().toLowerCase(Locale.ROOT);
        }

        long seconds = random.nextInt(4) == 0 ? LATEST_SECOND - random.nextInt(7200)
                : (long) (random.nextDouble() * LATEST_SECOND);
        String timestamp = switch (random.nextInt(6)) {
            case 0 -> Long.toString(seconds);
            case 1 -> jsonString(repeat(JAVA_WHITESPACE, random.nextInt(3), random) + seconds
                    + repeat(JAVA_WHITESPACE, random.nextInt(3), random), random);
            // fractional seconds, as Python's time.time() sends them: floored
            case 2 -> {
                String fraction = seconds + "." + (1 + random.nextInt(999_999));
                yield random.nextBoolean() ? fraction : jsonString(fraction, random);
            }
            // an ISO-8601 date-time with an offset, written by java.time, within the same second
            case 3 -> jsonString(OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, random.nextInt(1000) * 1_000_000L),
                    ZoneOffset.ofHoursMinutes(random.nextInt(25) - 12, 0)).toString(), random);
            default -> {
                seconds = Math.max(seconds, LoginCleaner.MILLIS_THRESHOLD / 1000); // milliseconds must be >= 10^11
                long millis = seconds * 1000 + random.nextInt(1000);
                yield random.nextBoolean() ? Long.toString(millis) : jsonString(Long.toString(millis), random);
            }
        };
        members.add(member("timestamp", timestamp));

        for (int extra = random.nextInt(4); extra > 0; extra--) {
            members.add(member("x_" + Integer.toString(random.nextInt(1000), 36), randomValue(random, 1, false)));
        }

        // any order, with or without JSON whitespace
        Collections.shuffle(members, random);
        if (random.nextBoolean()) {
            for (String[] member : members) {
                member[0] = pick(JSON_WHITESPACE, random) + member[0];
                member[1] = member[1] + pick(JSON_WHITESPACE, random);
            }
        }

        CleanLogin expected = new CleanLogin(Instant.ofEpochSecond(seconds).toString(), locale, deviceType, userId,
                passThrough[0], passThrough[1], passThrough[2]);
        return new Sample(members, expected);
    }

    static String randomObject(Random random) {
        List<String[]> members = new ArrayList<>();
        for (int count = random.nextInt(10); count > 0; count--) {
            String name = random.nextInt(10) < 7 ? pick(KNOWN, random) : randomName(random);
            String value;
            if (name.equals("timestamp")) {
                value = random.nextInt(4) == 0 ? randomValue(random, 1, true) : timestampValue(random);
            } else if (Arrays.asList(KNOWN).contains(name) && random.nextInt(4) != 0) {
                value = random.nextInt(6) == 0 ? Long.toString(random.nextInt())
                        : random.nextInt(8) == 0 ? "null" : jsonString(randomText(random), random);
            } else {
                value = randomValue(random, 1, true);
            }
            members.add(member(name, value));
        }
        return join(members, random.nextInt(8) == 0 ? " " : "");
    }

    static String timestampValue(Random random) {
        long seconds = (long) (random.nextDouble() * LATEST_SECOND);
        return switch (random.nextInt(16)) {
            case 0 -> Long.toString(seconds);
            case 1 -> "\"" + seconds + "\"";
            case 2 -> "\" " + seconds + "\t\"";
            case 3 -> Long.toString(seconds * 1000 + random.nextInt(1000));
            case 4 -> Long.toString(random.nextLong()); // mostly out of range or negative
            case 5 -> "-" + random.nextInt(1_000_000);
            case 6 -> "\"-" + random.nextInt(1_000_000) + "\"";
            case 7 -> seconds + "." + random.nextInt(1000);
            case 8 -> digits(19 + random.nextInt(50), random);
            case 9 -> "\"" + digits(1 + random.nextInt(25), random) + "\"";
            case 10 -> Long.toString(LATEST_SECOND + random.nextInt(100_000)); // too far in the future
            case 11 -> Long.toString(LoginCleaner.MAX_EPOCH_SECOND * 1000 + random.nextInt(2000) - 1000);
            case 12 -> "null";
            case 13 -> pick(new String[] { "true", "false", "{}", "[]", "\"\"", "\"abc\"", "\"1e9\"", "1e9",
                    "\"2023-09-12T00:45:51\"", "\"2023-09-12T00:45:51+01:00\"", "1e999999999", "1e-999999999" },
                    random);
            case 14 -> Long.toString(LoginCleaner.MILLIS_THRESHOLD + random.nextInt(3) - 1);
            default -> jsonString(randomText(random), random);
        };
    }

    /** Any JSON value; {@code wild} allows what the parser refuses (over-long numbers, nesting beyond the limit). */
    static String randomValue(Random random, int depth, boolean wild) {
        int kinds = depth > 4 ? 9 : 12;
        return switch (random.nextInt(kinds)) {
            case 0, 1 -> jsonString(randomText(random), random);
            case 2 -> Long.toString(random.nextLong());
            case 3 -> Integer.toString(random.nextInt(2000) - 1000);
            case 4 -> Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(30)));
            case 5 -> (random.nextBoolean() ? "-" : "") + digits(wild ? 1 + random.nextInt(70) : 1 + random.nextInt(40),
                    random);
            case 6 -> random.nextBoolean() ? "true" : "false";
            case 7 -> "null";
            case 8 -> jsonString(pick(UsState.values(), random).code().toLowerCase(Locale.ROOT), random);
            case 9 -> {
                List<String[]> members = new ArrayList<>();
                for (int n = random.nextInt(4); n > 0; n--) {
                    String name = random.nextBoolean() ? pick(KNOWN, random) : randomName(random);
                    members.add(member(name, randomValue(random, depth + 1, wild)));
                }
                yield join(members, "");
            }
            case 10 -> {
                StringBuilder array = new StringBuilder("[");
                for (int n = random.nextInt(4); n > 0; n--) {
                    array.append(randomValue(random, depth + 1, wild)).append(n > 1 ? "," : "");
                }
                yield array.append(']').toString();
            }
            default -> {
                int nesting = wild ? 1 + random.nextInt(Json.MAX_NESTING_DEPTH + 16)
                        : 1 + random.nextInt(Json.MAX_NESTING_DEPTH - 1 - depth);
                yield random.nextBoolean() ? "[".repeat(nesting) + "]".repeat(nesting)
                        : "{\"n\":".repeat(nesting) + "1" + "}".repeat(nesting);
            }
        };
    }

    static String mutateStructure(Sample sample, Random random) {
        List<String[]> members = new ArrayList<>();
        for (String[] member : sample.members()) {
            members.add(member.clone());
        }
        String json = join(members, "");
        return switch (random.nextInt(12)) {
            case 0 -> { // a known field twice
                String name = pick(KNOWN, random);
                members.add(random.nextInt(members.size() + 1), member(name,
                        name.equals("timestamp") ? timestampValue(random) : jsonString(randomText(random), random)));
                yield join(members, "");
            }
            case 1 -> json + pick(new String[] { " {}", " 1", "[", " \"x\"", " garbage", "}", "{\"b\":2}", "\n",
                    " null", ",", json }, random);
            case 2 -> { // deep nesting in an unknown field, around the limit
                int nesting = Json.MAX_NESTING_DEPTH - 5 + random.nextInt(10);
                members.add(random.nextInt(members.size() + 1), member("deep", random.nextBoolean()
                        ? "[".repeat(nesting) + "]".repeat(nesting)
                        : "{\"n\":".repeat(nesting) + "null" + "}".repeat(nesting)));
                yield join(members, "");
            }
            case 3 -> { // the record nested in itself
                int nesting = 1 + random.nextInt(Json.MAX_NESTING_DEPTH + 5);
                yield random.nextBoolean() ? "[".repeat(nesting) + json + "]".repeat(nesting)
                        : "{\"n\":".repeat(nesting) + json + "}".repeat(nesting);
            }
            case 4 -> { // one known field replaced by anything
                String name = pick(KNOWN, random);
                String value = name.equals("timestamp") ? timestampValue(random) : randomValue(random, 1, true);
                members.removeIf(member -> member[0].strip().equals("\"" + name + "\""));
                members.add(random.nextInt(members.size() + 1), member(name, value));
                yield join(members, "");
            }
            case 5 -> { // one field removed
                members.remove(random.nextInt(members.size()));
                yield join(members, "");
            }
            case 6 -> pick(new String[] { "\uFEFF", " ", "\n", "x", "[", "{", "\"", "//", "0" }, random) + json;
            case 7 -> json.substring(0, random.nextInt(json.length()));
            case 8 -> { // an over-long known field
                String name = pick(Arrays.copyOf(KNOWN, 6), random);
                members.removeIf(member -> member[0].strip().equals("\"" + name + "\""));
                members.add(member(name, jsonString("y".repeat(LoginCleaner.MAX_FIELD_LENGTH - 2 + random.nextInt(5)),
                        random)));
                yield join(members, "");
            }
            case 9 -> { // a random unknown field with anything in it
                members.add(random.nextInt(members.size() + 1), member(randomName(random), randomValue(random, 1, true)));
                yield join(members, "");
            }
            case 10 -> json.replace(":", pick(new String[] { "=", "::", ": :", " : " }, random));
            default -> json.replace("\"", pick(new String[] { "'", "", "\\\"", "\"\"" }, random));
        };
    }

    static byte[] mutateBytes(byte[] input, Random random) {
        byte[] bytes = input;
        for (int mutations = 1 + random.nextInt(3); mutations > 0 && bytes.length > 0; mutations--) {
            int at = random.nextInt(bytes.length);
            bytes = switch (random.nextInt(7)) {
                case 0 -> Arrays.copyOf(bytes, at); // truncate
                case 1 -> { // flip one bit
                    byte[] copy = bytes.clone();
                    copy[at] ^= (byte) (1 << random.nextInt(8));
                    yield copy;
                }
                case 2 -> { // any byte
                    byte[] copy = bytes.clone();
                    copy[at] = (byte) random.nextInt(256);
                    yield copy;
                }
                case 3 -> insert(bytes, at, new byte[] { (byte) (0x80 + random.nextInt(128)) }); // non-ASCII byte
                case 4 -> { // delete one byte
                    byte[] copy = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, copy, 0, at);
                    System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
                    yield copy;
                }
                case 5 -> { // duplicate a slice
                    int length = 1 + random.nextInt(Math.min(30, bytes.length - at));
                    yield insert(bytes, at, Arrays.copyOfRange(bytes, at, at + length));
                }
                default -> { // swap two bytes
                    byte[] copy = bytes.clone();
                    int other = random.nextInt(bytes.length);
                    byte b = copy[at];
                    copy[at] = copy[other];
                    copy[other] = b;
                    yield copy;
                }
            };
        }
        return bytes;
    }

    static byte[] randomBytes(Random random) {
        int length = switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> SMALL_LIMIT - 5 + random.nextInt(10);
            case 2 -> random.nextInt(2048);
            default -> random.nextInt(64);
        };
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        if (length > 0 && random.nextBoolean()) {
            bytes[0] = '{';
        }
        return bytes;
    }

    static byte[] tokenSoup(Random random) {
        String[] tokens = { "{", "}", "[", "]", "\"", ":", ",", " ", "\n", "0", "1", "-", ".", "e", "9", "true", "false",
                "null", "\"user_id\"", "\"timestamp\"", "\"locale\"", "\"device_type\"", "\"x\"", "\\", "\\u", "00A0",
                "a", "é", "\uD83D\uDE00", "1694479551", "\"ny\"" };
        StringBuilder soup = new StringBuilder(random.nextInt(3) == 0 ? "" : "{");
        for (int count = random.nextInt(40); count > 0; count--) {
            soup.append(pick(tokens, random));
        }
        return utf8(soup.toString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // text

    static String nonBlankText(Random random) {
        String[] core = { "u", "424cdd21", "2.3.0", "199.172.111.135", "593-47-5928", "é", "ユ", "A B", "<x>", "::1", "0",
                "\uD83D\uDE00", "\"q\"", "back\\slash" };
        return repeat(JAVA_WHITESPACE, random.nextInt(2), random) + pick(core, random) + random.nextInt(1000)
                + repeat(JAVA_WHITESPACE, random.nextInt(2), random);
    }

    static String randomText(Random random) {
        int length = switch (random.nextInt(12)) {
            case 0 -> 0;
            case 1 -> LoginCleaner.MAX_FIELD_LENGTH - 2 + random.nextInt(5);
            default -> random.nextInt(12);
        };
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> text.append((char) ('a' + random.nextInt(26)));
                case 4 -> text.append((char) ('A' + random.nextInt(26)));
                case 5 -> text.append(pick(UNICODE_WHITESPACE, random));
                case 6 -> text.append(pick(ODD_TEXT, random));
                case 7 -> text.append(pick(UsState.values(), random).code());
                case 8 -> text.append((char) random.nextInt(0x10000)); // any UTF-16 unit, lone surrogates included
                default -> text.append(random.nextInt(10));
            }
        }
        return text.toString();
    }

    static String randomName(Random random) {
        String[] names = { "extra", "User_Id", "userId", "user_id ", " timestamp", "TIMESTAMP", "device-type", "", "é",
                "x" };
        return random.nextBoolean() ? pick(names, random) : randomText(random);
    }

    /** A JSON string literal; surrogates and control characters always escaped, anything else sometimes (if random). */
    static String jsonString(String value, Random random) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) || random != null && random.nextInt(20) == 0) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static String[] member(String name, String rawValue) {
        return new String[] { jsonString(name, null), rawValue };
    }

    static String join(List<String[]> members, String space) {
        return members.stream().map(member -> member[0] + ":" + space + member[1])
                .collect(Collectors.joining("," + space, "{" + space, space + "}"));
    }

    static String digits(int count, Random random) {
        StringBuilder digits = new StringBuilder().append((char) ('1' + random.nextInt(9)));
        while (digits.length() < count) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }

    static String repeat(String[] pool, int count, Random random) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(pick(pool, random));
        }
        return out.toString();
    }

    static <T> T pick(T[] pool, Random random) {
        return pool[random.nextInt(pool.length)];
    }

    static byte[] insert(byte[] bytes, int at, byte[] inserted) {
        byte[] out = new byte[bytes.length + inserted.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(bytes, at, out, at + inserted.length, bytes.length - at);
        return out;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(400).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\u%04x", cp));
            }
        });
        return out.toString();
    }
}
