package dev.loginpulse.generator.model;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.loginpulse.events.Json;
import dev.loginpulse.events.JsonSerde;
import dev.loginpulse.events.RawLogin;
import dev.loginpulse.events.UsState;

/**
 * Makes synthetic raw logins: states weighted by population, devices and app versions from a realistic mix, event time
 * now, and a share of dirty records of the kinds real producers send. Not thread-safe; one per publishing stream.
 */
public final class LoginFactory {

    /** 2020 census resident population in thousands, the weight of each state. */
    private static final Map<UsState, Integer> POPULATION = new EnumMap<>(UsState.class);

    static {
        int[] thousands = { 5025, 733, 7152, 3012, 39538, 5774, 3606, 990, 690, 21538, 10712, 1455, 1839, 12813, 6786,
                3190, 2938, 4506, 4658, 1362, 6177, 7030, 10077, 5706, 2961, 6155, 1084, 1962, 3105, 1378, 9289, 2118,
                20201, 10439, 779, 11799, 3959, 4237, 13003, 3286, 1097, 5118, 887, 6911, 29146, 3272, 643, 8631, 7705,
                1794, 5894, 577 };
        UsState[] states = UsState.values();
        if (states.length != thousands.length) {
            throw new IllegalStateException("population table does not match UsState");
        }
        for (int i = 0; i < states.length; i++) {
            POPULATION.put(states[i], thousands[i]);
        }
    }

    private static final String[] DEVICES = { "android", "iOS", "android tablet", "iPad", "web", "windows", "macos" };
    private static final String[] VERSIONS = { "2.3.0", "2.3.1", "2.4.0", "3.0.0", "3.0.1" };

    /**
     * The one IP behind {@code suspiciousShare} of the logins: an address of a documentation range (RFC 5737), never a
     * real host.
     */
    public static final String SUSPICIOUS_IP = "203.0.113.66";
    /** The generator's default share of logins from {@link #SUSPICIOUS_IP}. */
    public static final double DEFAULT_SUSPICIOUS_SHARE = 0.05;

    private final RandomGenerator random;
    private final Clock clock;
    private final double dirtyRatio;
    private final int users;
    private final double suspiciousShare;
    private final UsState[] cumulativeStates;
    private final long[] cumulativeWeights;
    private final JsonSerde<RawLogin> serde = JsonSerde.rawLogin();

    /**
     * @param dirtyRatio share of deliberately dirty events, 0 to 1
     * @param users how many distinct users logins are drawn from
     * @param suspiciousShare share of logins from {@link #SUSPICIOUS_IP} (many users behind one address, like a
     *        credential-stuffing bot), 0 to 1; the other logins come from random private addresses
     */
    public LoginFactory(RandomGenerator random, Clock clock, double dirtyRatio, int users, double suspiciousShare) {
        if (dirtyRatio < 0 || dirtyRatio > 1) {
            throw new IllegalArgumentException("dirty ratio must be between 0 and 1: " + dirtyRatio);
        }
        if (suspiciousShare < 0 || suspiciousShare > 1) {
            throw new IllegalArgumentException("suspicious share must be between 0 and 1: " + suspiciousShare);
        }
        if (users < 1) {
            throw new IllegalArgumentException("users must be at least 1: " + users);
        }
        this.random = random;
        this.clock = clock;
        this.dirtyRatio = dirtyRatio;
        this.users = users;
        this.suspiciousShare = suspiciousShare;
        this.cumulativeStates = UsState.values();
        this.cumulativeWeights = new long[cumulativeStates.length];
        long sum = 0;
        for (int i = 0; i < cumulativeStates.length; i++) {
            sum += POPULATION.get(cumulativeStates[i]);
            cumulativeWeights[i] = sum;
        }
    }

    /** A well-formed login of a population-weighted state, now. */
    public RawLogin clean() {
        int user = random.nextInt(users);
        return new RawLogin(
                "user-" + user,
                VERSIONS[random.nextInt(VERSIONS.length)],
                DEVICES[random.nextInt(DEVICES.length)],
                ip(),
                pickState().code(),
                "device-" + Integer.toHexString(user * 31 + 7),
                clock.instant().getEpochSecond());
    }

    private String ip() {
        if (suspiciousShare > 0 && random.nextDouble() < suspiciousShare) {
            return SUSPICIOUS_IP;
        }
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    /** The next event: dirty with probability {@code dirtyRatio}, otherwise {@link #clean()}. */
    public GeneratedLogin next() {
        RawLogin login = clean();
        if (random.nextDouble() >= dirtyRatio) {
            return new GeneratedLogin(login.userId(), serde.serialize(null, login), true);
        }
        return new GeneratedLogin(login.userId(), dirty(login), false);
    }

    /**
     * One generated event.
     *
     * @param userId the user it was made for, the record key
     * @param payload the raw record value
     * @param wellFormed whether the payload is a well-formed raw login (its topic's schema,
     *        {@link dev.loginpulse.events.Schemas#USER_LOGIN}), not one of the deliberately dirty variants
     */
    public record GeneratedLogin(String userId, byte[] payload, boolean wellFormed) {
    }

    /** A dirty variant of a login: most still clean to a valid record, some must be dead-lettered. */
    byte[] dirty(RawLogin login) {
        ObjectNode node = Json.MAPPER.valueToTree(login);
        switch (random.nextInt(10)) {
            case 0 -> node.putNull("locale");
            case 1 -> node.put("locale", "  " + login.locale().toLowerCase(Locale.ROOT) + " ");
            case 2 -> node.put("locale", "ZZ");
            case 3 -> node.put("device_type", " " + login.deviceType().toUpperCase(Locale.ROOT) + "\t ");
            case 4 -> {
                node.remove("app_version");
                node.remove("ip");
            }
            case 5 -> node.put("timestamp", String.valueOf(login.timestamp()));
            case 6 -> node.put("timestamp", login.timestamp() * 1000);
            case 7 -> node.remove("user_id");
            case 8 -> {
                return "{\"user_id\": \"broken".getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return "not json at all".getBytes(StandardCharsets.UTF_8);
            }
        }
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private UsState pickState() {
        long ticket = random.nextLong(cumulativeWeights[cumulativeWeights.length - 1]);
        for (int i = 0; i < cumulativeWeights.length; i++) {
            if (ticket < cumulativeWeights[i]) {
                return cumulativeStates[i];
            }
        }
        return cumulativeStates[cumulativeStates.length - 1];
    }
}
