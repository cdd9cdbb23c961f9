package dev.loginpulse.httpauth;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * HTTP authentication of a service's own endpoints, {@code pulse.auth.*} (env {@code PULSE_AUTH_*}): the dashboard
 * (page, {@code /api/*}, WebSocket upgrades) and the stats REST API. Health and metrics stay open either way.
 */
@ConfigMapping(prefix = "pulse.auth")
public interface HttpAuthConfig {

    /**
     * Whether every HTTP path except {@code /q/health*} and {@code /q/metrics*} needs credentials: HTTP Basic with the
     * configured user, or a bearer token (JWT) signed by the configured key; at least one of the two must be set. Off by
     * default (./run.sh, dev mode, Compose); on in the Helm chart's production values. Read at start: the same jar
     * or native executable serves both ways.
     */
    @WithDefault("false")
    boolean enabled();

    /** The user name HTTP Basic accepts, e.g. from a Kubernetes Secret; with {@link #password()}. */
    Optional<String> username();

    /** That user's password, e.g. from a Kubernetes Secret; with {@link #username()}. */
    Optional<String> password();

    /** Bearer tokens: JWTs verified locally by signature, expiry and, if set, issuer. */
    Jwt jwt();

    /** {@code pulse.auth.jwt.*}: how bearer tokens are verified (none is accepted while neither key is set). */
    interface Jwt {

        /**
         * The public key that signs accepted tokens: PEM, a JWK or a JWK set, inline (e.g. from a Secret). Sets
         * {@code mp.jwt.verify.publickey}.
         */
        Optional<String> publicKey();

        /**
         * Where that key is: a file, or an {@code https} URL such as an identity provider's JWKS endpoint. Sets
         * {@code mp.jwt.verify.publickey.location}.
         */
        Optional<String> publicKeyLocation();

        /** The issuer ({@code iss}) a token must name, if set. Sets {@code mp.jwt.verify.issuer}. */
        Optional<String> issuer();
    }
}
