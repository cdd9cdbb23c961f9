package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import dev.loginpulse.events.CleanLogin;

/**
 * Raw records written by hand, each with the outcome the contract predicts, spelled out here rather than computed by
 * the cleaner under test. Every record carries this run's id, so tests can tell them from other traffic.
 */
final class HandMadeLogins {

    private static final String[] STATES = { "RI", "NY", "CA", "TX", "PR", "DC", "WY" };
    /** 2023-09-12T00:45:51Z. */
    private static final long BASE_SECONDS = 1_694_479_551L;

    private final String runId = "e2e-" + UUID.randomUUID();
    private final List<Case> cases = new ArrayList<>();
    private final List<CleanLogin> expectedClean = new ArrayList<>();
    private final Map<String, String> expectedDeadLetters = new LinkedHashMap<>();
    private final Map<String, Long> expectedCounts = new HashMap<>();

    /** One raw record. */
    record Case(byte[] raw) {
    }

    private HandMadeLogins() {
    }

    static HandMadeLogins create(int count) {
        HandMadeLogins logins = new HandMadeLogins();
        for (int i = 0; i < count; i++) {
            logins.add(i);
        }
        return logins;
    }

    private void add(int i) {
        String user = runId + "-u" + (i % 40);
        String state = STATES[i % STATES.length];
        long seconds = BASE_SECONDS + i;
        String iso = Instant.ofEpochSecond(seconds).toString();
        String device = runId + "-d" + i;
        switch (i % 14) {
            case 0 -> clean(json(user, "2.3.0", "android", "10.0.0." + i, quote(state), device, seconds),
                    new CleanLogin(iso, state, "android", user, "2.3.0", "10.0.0." + i, device));
            case 1 ->
                clean(json(user, "2.3.0", " Android Tablet ", "10.0.0.1", quote("  " + state.toLowerCase(Locale.ROOT) + " "),
                        device, seconds), new CleanLogin(iso, state, "androidtablet", user, "2.3.0", "10.0.0.1", device));
            case 2 -> clean(json(user, "3.0.0", "iOS", "10.0.0.2", "null", device, seconds),
                    new CleanLogin(iso, "UNK", "ios", user, "3.0.0", "10.0.0.2", device));
            case 3 -> clean(json(user, "3.0.0", "web", "10.0.0.3", quote("ZZ"), device, seconds),
                    new CleanLogin(iso, "UNK", "web", user, "3.0.0", "10.0.0.3", device));
            case 4 -> clean(json(user, "3.0.1", "web", "10.0.0.4", quote(state), device, "\"" + seconds + "\""),
                    new CleanLogin(iso, state, "web", user, "3.0.1", "10.0.0.4", device));
            case 5 -> clean(json(user, "3.0.1", "web", "10.0.0.5", quote(state), device, (seconds * 1000 + 999) + ""),
                    new CleanLogin(iso, state, "web", user, "3.0.1", "10.0.0.5", device));
            case 6 -> clean("{\"user_id\":\"" + user + "\",\"locale\":\"" + state + "\",\"device_id\":\"" + device
                    + "\",\"timestamp\":" + seconds + ",\"extra\":{\"nested\":[1,2,3]}}",
                    new CleanLogin(iso, state, "unknown", user, "unknown", "unknown", device));
            case 7 -> clean(json(user, "  ", "", "", quote(state), device, seconds),
                    new CleanLogin(iso, state, "unknown", user, "unknown", "unknown", device));
            case 8 -> deadLetter("{\"app_version\":\"1\",\"device_id\":\"" + device + "\",\"timestamp\":" + seconds + "}",
                    "MISSING_USER_ID");
            case 9 -> deadLetter("not json " + device, "NOT_JSON");
            case 10 -> deadLetter(json(user, "1", "web", "1", quote(state), device, "-5"), "INVALID_TIMESTAMP");
            // fractional unix seconds (Python's time.time()) and an ISO-8601 date-time with an offset: floored
            case 11 -> clean(json(user, "3.1.0", "ios", "10.0.0.11", quote(state), device, seconds + ".964"),
                    new CleanLogin(iso, state, "ios", user, "3.1.0", "10.0.0.11", device));
            case 12 -> clean(json(user, "3.1.0", "ios", "10.0.0.12", quote(state), device,
                    quote(OffsetDateTime
                            .ofInstant(Instant.ofEpochSecond(seconds, 250_000_000), ZoneOffset.ofHoursMinutes(5, 30))
                            .toString())),
                    new CleanLogin(iso, state, "ios", user, "3.1.0", "10.0.0.12", device));
            default -> deadLetter("[\"" + device + "\"]", "NOT_AN_OBJECT");
        }
    }

    private static String json(String user, String version, String deviceType, String ip, String locale,
            String device, long seconds) {
        return json(user, version, deviceType, ip, locale, device, String.valueOf(seconds));
    }

    private static String json(String user, String version, String deviceType, String ip, String locale,
            String device, String timestamp) {
        return "{\"user_id\":\"" + user + "\",\"app_version\":\"" + version + "\",\"device_type\":\"" + deviceType
                + "\",\"ip\":\"" + ip + "\",\"locale\":" + locale + ",\"device_id\":\"" + device + "\",\"timestamp\":"
                + timestamp + "}";
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    private void clean(String raw, CleanLogin expected) {
        cases.add(new Case(raw.getBytes(StandardCharsets.UTF_8)));
        expectedClean.add(expected);
        expectedCounts.merge(expected.locale(), 1L, Long::sum);
    }

    private void deadLetter(String raw, String reason) {
        cases.add(new Case(raw.getBytes(StandardCharsets.UTF_8)));
        expectedDeadLetters.put(raw, reason);
    }

    List<Case> cases() {
        return cases;
    }

    List<CleanLogin> expectedClean() {
        return expectedClean;
    }

    /** Raw payload → expected reason code. */
    Map<String, String> expectedDeadLetters() {
        return expectedDeadLetters;
    }

    /** Clean logins per state (UNK included) these records add. */
    Map<String, Long> expectedCountsByState() {
        return expectedCounts;
    }

    boolean isOurs(String text) {
        return text != null && text.contains(runId);
    }
}
