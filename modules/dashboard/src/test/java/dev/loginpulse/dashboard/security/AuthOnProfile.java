package dev.loginpulse.dashboard.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Authentication on, with one user and a token key, one origin allowed besides the page's own, and an
 * archiver that cannot be reached.
 */
public class AuthOnProfile implements QuarkusTestProfile {

    static final String USER = "viewer";
    static final String PASSWORD = "correct horse battery staple";
    static final String ALLOWED_ORIGIN = "https://ops.example.com";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("pulse.auth.enabled", "true", "pulse.auth.username", USER, "pulse.auth.password", PASSWORD,
                "pulse.auth.jwt.public-key", TestTokens.resource("jwt/public-key.pem"), "pulse.auth.jwt.issuer",
                TestTokens.ISSUER, "pulse.dashboard.allowed-origins", ALLOWED_ORIGIN,
                // nothing listens there: a history query that gets past authentication is answered 503
                "pulse.dashboard.archiver-url", "http://127.0.0.1:1");
    }
}
