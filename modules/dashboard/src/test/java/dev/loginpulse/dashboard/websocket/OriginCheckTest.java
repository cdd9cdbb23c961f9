package dev.loginpulse.dashboard.websocket;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.loginpulse.dashboard.config.DashboardConfig;
import io.vertx.core.net.HostAndPort;

import static org.assertj.core.api.Assertions.assertThat;

class OriginCheckTest {

    private static OriginCheck allowing(String... origins) {
        return new OriginCheck(new DashboardConfig() {
            @Override
            public Duration broadcastInterval() {
                return Duration.ofMillis(100);
            }

            @Override
            public Duration slowClientTimeout() {
                return Duration.ofSeconds(10);
            }

            @Override
            public Optional<List<String>> allowedOrigins() {
                return origins.length == 0 ? Optional.empty() : Optional.of(List.of(origins));
            }

            @Override
            public URI archiverUrl() {
                return URI.create("http://localhost:8084");
            }

            @Override
            public Duration archiverTimeout() {
                return Duration.ofSeconds(10);
            }
        });
    }

    @Test
    void thePagesOwnOriginIsAllowedWhateverTheSchemeAndCaseAndWithDefaultPortsImplied() {
        OriginCheck check = allowing();
        assertThat(check.allows("http://localhost:8080", HostAndPort.create("localhost", 8080))).isTrue();
        assertThat(check.allows("https://Pulse.Example.com", HostAndPort.create("pulse.example.com", -1))).isTrue();
        assertThat(check.allows("https://pulse.example.com", HostAndPort.create("pulse.example.com", 443))).isTrue();
        // TLS ends at the ingress, which speaks plain HTTP to the pod with the original Host
        assertThat(check.allows("https://pulse.example.com", HostAndPort.create("pulse.example.com", -1))).isTrue();
    }

    @Test
    void anotherHostAnotherPortANullOriginAndGarbageAreRefused() {
        OriginCheck check = allowing();
        assertThat(check.allows("https://evil.example.net", HostAndPort.create("pulse.example.com", -1))).isFalse();
        assertThat(check.allows("http://localhost:8081", HostAndPort.create("localhost", 8080))).isFalse();
        assertThat(check.allows("http://pulse.example.com", HostAndPort.create("pulse.example.com", 8080))).isFalse();
        assertThat(check.allows("null", HostAndPort.create("localhost", 8080))).isFalse();
        assertThat(check.allows("http://exa mple.com", HostAndPort.create("localhost", 8080))).isFalse();
        assertThat(check.allows("http://localhost:8080", null)).isFalse();
    }

    @Test
    void configuredOriginsAreAllowedExactlyAndAStarAllowsAny() {
        OriginCheck check = allowing("https://ops.example.com/", "http://localhost:3000");
        HostAndPort host = HostAndPort.create("pulse.example.com", -1);
        assertThat(check.allows("https://OPS.example.com", host)).isTrue();
        assertThat(check.allows("http://localhost:3000", host)).isTrue();
        assertThat(check.allows("http://ops.example.com", host)).isFalse();
        assertThat(check.allows("https://ops.example.com:8443", host)).isFalse();
        assertThat(allowing("*").allows("https://anything.example.org", host)).isTrue();
    }
}
