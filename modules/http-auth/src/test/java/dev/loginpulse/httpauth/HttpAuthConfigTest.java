package dev.loginpulse.httpauth;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpAuthConfigTest {

    record Config(boolean enabled, Optional<String> username, Optional<String> password, Jwt jwt)
            implements
                HttpAuthConfig {

        Config(boolean enabled, Optional<String> username, Optional<String> password) {
            this(enabled, username, password, new Key(Optional.empty(), Optional.empty(), Optional.empty()));
        }
    }

    record Key(Optional<String> publicKey, Optional<String> publicKeyLocation, Optional<String> issuer)
            implements
                HttpAuthConfig.Jwt {
    }

    private static final Config ON = new Config(true, Optional.of("viewer"), Optional.of("s3cret!"));

    @Test
    void authenticationOffNeedsNoCredentials() {
        assertThat(HttpAuthCheck.problems(new Config(false, Optional.empty(), Optional.empty()))).isEmpty();
    }

    @Test
    void authenticationOnWithUserAndPasswordIsValid() {
        assertThat(HttpAuthCheck.problems(ON)).isEmpty();
    }

    @Test
    void authenticationOnWithOnlyATokenKeyIsValid() {
        assertThat(HttpAuthCheck.problems(new Config(true, Optional.empty(), Optional.empty(),
                new Key(Optional.empty(), Optional.of("https://idp.example.com/jwks"), Optional.empty())))).isEmpty();
    }

    @Test
    void authenticationOnWithNoCredentialsAtAllNamesEveryKey() {
        assertThat(HttpAuthCheck.problems(new Config(true, Optional.empty(), Optional.of(""))))
                .singleElement().asString()
                .contains("pulse.auth.username", "pulse.auth.password", "pulse.auth.jwt.public-key",
                        "pulse.auth.jwt.public-key-location", "PULSE_AUTH_USERNAME", "PULSE_AUTH_PASSWORD");
    }

    @Test
    void authenticationOnWithAUserButNoPasswordNamesThePasswordKey() {
        assertThat(HttpAuthCheck.problems(new Config(true, Optional.of("viewer"), Optional.of(" "))))
                .containsExactly("pulse.auth.enabled is true but pulse.auth.password (env PULSE_AUTH_PASSWORD) is not "
                        + "set: HTTP Basic needs both");
    }

    @Test
    void authenticationOnWithAPasswordButNoUserNamesTheUsernameKey() {
        assertThat(HttpAuthCheck.problems(new Config(true, Optional.empty(), Optional.of("s3cret!"),
                new Key(Optional.of("PEM"), Optional.empty(), Optional.empty()))))
                .containsExactly("pulse.auth.enabled is true but pulse.auth.username (env PULSE_AUTH_USERNAME) is not "
                        + "set: HTTP Basic needs both");
    }

    @Test
    void onlyTheConfiguredUserWithItsPasswordIsAccepted() {
        ConfiguredUser user = new ConfiguredUser(ON);
        assertThat(user.accepts("viewer", "s3cret!")).isTrue();
        assertThat(user.accepts("viewer", "s3cret")).isFalse();
        assertThat(user.accepts("viewer", "")).isFalse();
        assertThat(user.accepts("Viewer", "s3cret!")).isFalse();
        assertThat(user.accepts("", "")).isFalse();
    }

    @Test
    void nobodyIsAcceptedWhileAuthenticationIsOffOrHasNoUser() {
        assertThat(new ConfiguredUser(new Config(false, ON.username(), ON.password())).accepts("viewer", "s3cret!"))
                .isFalse();
        assertThat(new ConfiguredUser(new Config(true, Optional.empty(), Optional.empty())).accepts("", "")).isFalse();
    }
}
