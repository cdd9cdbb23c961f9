package dev.loginpulse.httpauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Fails the start when authentication is on but not configured, naming the missing keys: a service must never run
 * open because a Secret was not mounted, nor run locked with no way in.
 */
@ApplicationScoped
public class HttpAuthCheck {

    private static final Logger LOG = Logger.getLogger(HttpAuthCheck.class);

    void check(@Observes StartupEvent event, HttpAuthConfig config) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        if (config.enabled()) {
            LOG.infof("HTTP authentication is on: every path but /q/health and /q/metrics needs %s",
                    config.username().map(user -> "the user '" + user + "' or a bearer token").orElse("a bearer token"));
        }
    }

    /** What is wrong with this configuration, one sentence each naming its key; empty if nothing. */
    static List<String> problems(HttpAuthConfig config) {
        List<String> problems = new ArrayList<>();
        if (!config.enabled()) {
            return problems;
        }
        boolean user = isSet(config.username());
        boolean password = isSet(config.password());
        boolean key = isSet(config.jwt().publicKey()) || isSet(config.jwt().publicKeyLocation());
        if (!user && !password && !key) {
            problems.add("pulse.auth.enabled is true but no credentials are configured: set pulse.auth.username and "
                    + "pulse.auth.password (env PULSE_AUTH_USERNAME, PULSE_AUTH_PASSWORD) for HTTP Basic, and/or "
                    + "pulse.auth.jwt.public-key or pulse.auth.jwt.public-key-location (env PULSE_AUTH_JWT_PUBLIC_KEY, "
                    + "PULSE_AUTH_JWT_PUBLIC_KEY_LOCATION) for bearer tokens");
        } else if (user != password) {
            problems.add("pulse.auth.enabled is true but " + (user ? "pulse.auth.password (env PULSE_AUTH_PASSWORD)"
                    : "pulse.auth.username (env PULSE_AUTH_USERNAME)") + " is not set: HTTP Basic needs both");
        }
        return problems;
    }

    private static boolean isSet(Optional<String> value) {
        return value.filter(text -> !text.isBlank()).isPresent();
    }
}
