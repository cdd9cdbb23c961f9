package dev.loginpulse.dashboard.websocket;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.loginpulse.dashboard.config.DashboardConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses, with 403 and before the upgrade, a WebSocket upgrade on any path whose {@code Origin} is neither the page's
 * own (the origin whose host and port are the request's {@code Host}) nor one of {@code pulse.dashboard.allowed-origins}.
 * Browsers send {@code Origin} with every WebSocket; a page of another site thus cannot read the live figures with
 * the viewer's credentials (cross-site WebSocket hijacking). A client that sends no {@code Origin} is no browser and
 * is let through (authentication, when on, still applies).
 */
@ApplicationScoped
public class OriginCheck {

    /** Runs before CORS (300) and authentication (200): a foreign page is refused whatever credentials it carries. */
    static final int PRIORITY = 400;
    private static final String ANY = "*";

    private final List<String> allowed;

    public OriginCheck(DashboardConfig config) {
        this.allowed = config.allowedOrigins().orElse(List.of()).stream().map(OriginCheck::normalise).toList();
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext context) {
        HttpServerRequest request = context.request();
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        if (origin != null && upgrade != null && upgrade.equalsIgnoreCase("websocket")
                && !allows(origin, request.authority())) {
            context.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain")
                    .end("WebSocket from a foreign origin refused: " + origin);
            return;
        }
        context.next();
    }

    /** Whether a WebSocket upgrade with this {@code Origin} to a server reached as {@code host} is allowed. */
    boolean allows(String origin, HostAndPort host) {
        String normalised = normalise(origin);
        return allowed.contains(ANY) || allowed.contains(normalised) || sameOrigin(normalised, host);
    }

    /**
     * The origin's host and port are the request's: the page was served by this host. The scheme is not compared: TLS
     * may end at an ingress in front, which then talks plain HTTP here; a missing port is the origin scheme's default.
     */
    static boolean sameOrigin(String origin, HostAndPort host) {
        if (host == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || uri.getScheme() == null) {
                return false;
            }
            int defaultPort = uri.getScheme().equals("https") ? 443 : 80;
            int originPort = uri.getPort() == -1 ? defaultPort : uri.getPort();
            int hostPort = host.port() == -1 ? defaultPort : host.port();
            return uri.getHost().equalsIgnoreCase(host.host()) && originPort == hostPort;
        } catch (IllegalArgumentException e) {
            return false; // "null" (a sandboxed page) and anything malformed
        }
    }

    private static String normalise(String origin) {
        String trimmed = origin.trim().toLowerCase(Locale.ROOT);
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
