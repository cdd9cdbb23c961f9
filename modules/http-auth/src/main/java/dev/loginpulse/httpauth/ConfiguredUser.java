package dev.loginpulse.httpauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Checks HTTP Basic credentials against the one configured user ({@code pulse.auth.username} and
 * {@code pulse.auth.password}), comparing digests in constant time. While authentication is off it accepts nobody:
 * no path asks for credentials then.
 */
@ApplicationScoped
public class ConfiguredUser implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    /** The role of an authenticated user (there is one kind: a viewer; everything served is read-only). */
    public static final String ROLE = "viewer";

    private final HttpAuthConfig config;

    public ConfiguredUser(HttpAuthConfig config) {
        this.config = config;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        if (!accepts(request.getUsername(), new String(request.getPassword().getPassword()))) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(request.getUsername())).addRole(ROLE).build());
    }

    /** Whether these are the configured user's credentials (never while authentication is off or unconfigured). */
    boolean accepts(String username, String password) {
        if (!config.enabled() || config.username().filter(name -> !name.isBlank()).isEmpty()
                || config.password().filter(value -> !value.isEmpty()).isEmpty()) {
            return false;
        }
        // Both comparisons always run, on fixed-length digests: the time taken tells nothing about either value.
        boolean user = MessageDigest.isEqual(digest(username), digest(config.username().get()));
        boolean pass = MessageDigest.isEqual(digest(password), digest(config.password().get()));
        return user & pass;
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
