package dev.loginpulse.generator.model;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.loginpulse.events.CleaningResult;
import dev.loginpulse.events.LoginCleaner;
import dev.loginpulse.events.RawLogin;
import dev.loginpulse.events.TopicSchemaValidator;
import dev.loginpulse.events.Topics;
import dev.loginpulse.events.UsState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginFactoryTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T12:00:00Z"), ZoneOffset.UTC);
    private final LoginCleaner cleaner = new LoginCleaner(LoginCleaner.DEFAULT_MAX_RECORD_BYTES,
            LoginCleaner.DEFAULT_MAX_FUTURE_SKEW, CLOCK);

    @Test
    void withoutDirtShareEveryEventCleansToItsOwnStateAndTime() {
        LoginFactory factory = new LoginFactory(new SplittableRandom(1), CLOCK, 0.0, 1000, 0.0);
        for (int i = 0; i < 5_000; i++) {
            LoginFactory.GeneratedLogin event = factory.next();
            CleaningResult result = cleaner.clean(event.payload());
            assertThat(result).isInstanceOf(CleaningResult.Cleaned.class);
            var login = ((CleaningResult.Cleaned) result).login();
            assertThat(login.userId()).isEqualTo(event.userId());
            assertThat(login.locale()).isNotEqualTo(UsState.UNKNOWN);
            assertThat(login.timestamp()).isEqualTo("2026-11-21T12:00:00Z");
        }
    }

    @Test
    void theLoginsMarkedWellFormedMatchTheRawLoginSchemaAndAllOthersAreDirty() {
        TopicSchemaValidator validator = new TopicSchemaValidator();
        LoginFactory factory = new LoginFactory(new SplittableRandom(4), CLOCK, 0.5, 1000, 0.05);
        int wellFormed = 0;
        for (int i = 0; i < 2_000; i++) {
            LoginFactory.GeneratedLogin event = factory.next();
            if (event.wellFormed()) {
                wellFormed++;
                assertThat(validator.errors(Topics.USER_LOGIN, new String(event.payload(), StandardCharsets.UTF_8)))
                        .isEmpty();
            }
        }
        // half of 2,000 dirty by the ratio: well-formed ones far from none and far from all
        assertThat(wellFormed).isBetween(800, 1_200);
    }

    @Test
    void statesAreWeightedByPopulationAndAllAppear() {
        LoginFactory factory = new LoginFactory(new SplittableRandom(2), CLOCK, 0.0, 1000, 0.0);
        Map<UsState, Integer> counts = new EnumMap<>(UsState.class);
        for (int i = 0; i < 200_000; i++) {
            RawLogin login = factory.clean();
            counts.merge(UsState.valueOf(login.locale()), 1, Integer::sum);
        }
        assertThat(counts).hasSize(UsState.values().length);
        // Population: California about 68 times Wyoming, Texas about 1.4 times New York; margins allow for noise.
        assertThat(counts.get(UsState.CA)).isGreaterThan(40 * counts.get(UsState.WY));
        assertThat(counts.get(UsState.CA)).isGreaterThan(counts.get(UsState.TX));
        assertThat(counts.get(UsState.TX)).isGreaterThan(counts.get(UsState.NY));
    }

    @Test
    void dirtyShareProducesBothRepairableAndDeadLetteredRecordsAndNothingElse() {
        LoginFactory factory = new LoginFactory(new SplittableRandom(3), CLOCK, 0.05, 1000, 0.0);
        int rejected = 0;
        int unknownLocale = 0;
        int total = 100_000;
        for (int i = 0; i < total; i++) {
            CleaningResult result = cleaner.clean(factory.next().payload());
            if (result instanceof CleaningResult.Rejected) {
                rejected++;
            } else if (((CleaningResult.Cleaned) result).login().locale().equals(UsState.UNKNOWN)) {
                unknownLocale++;
            }
        }
        // 3 of the 10 dirty kinds cannot be cleaned: 1.5 % of all events expected.
        assertThat(rejected).isBetween((int) (total * 0.011), (int) (total * 0.019));
        assertThat(unknownLocale).isBetween((int) (total * 0.006), (int) (total * 0.014));
    }

    @Test
    void suspiciousShareOfLoginsComesFromOneIpAndTheRestFromRandomPrivateAddresses() {
        LoginFactory factory = new LoginFactory(new SplittableRandom(4), CLOCK, 0.0, 1000, 0.05);
        Map<String, Integer> byIp = new HashMap<>();
        int total = 100_000;
        for (int i = 0; i < total; i++) {
            byIp.merge(factory.clean().ip(), 1, Integer::sum);
        }
        assertThat(byIp.get(LoginFactory.SUSPICIOUS_IP)).isBetween((int) (total * 0.045), (int) (total * 0.055));
        assertThat(byIp).allSatisfy((ip, count) -> {
            if (!ip.equals(LoginFactory.SUSPICIOUS_IP)) {
                assertThat(ip).startsWith("10.");
                assertThat(count).as(ip).isLessThan(10);
            }
        });
        assertThatThrownBy(() -> new LoginFactory(new SplittableRandom(), CLOCK, 0.0, 10, 1.5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dirtyRatioOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new LoginFactory(new SplittableRandom(), CLOCK, 1.5, 10, 0.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dirty ratio");
    }
}
