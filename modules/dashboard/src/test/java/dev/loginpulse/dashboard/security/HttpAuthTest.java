package dev.loginpulse.dashboard.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.loginpulse.dashboard.history.HistoryPage;
import dev.loginpulse.dashboard.history.HistoryProxy;
import dev.loginpulse.dashboard.messaging.InMemoryChannels;
import dev.loginpulse.dashboard.websocket.StatsSocket;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalToIgnoringCase;

/** The dashboard with {@code pulse.auth.enabled}: every path but health and metrics needs the configured user. */
@QuarkusTest
@TestProfile(AuthOnProfile.class)
@WithTestResource(value = InMemoryChannels.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class HttpAuthTest {

    /** The auth scheme is case-insensitive (RFC 9110); Quarkus writes it in lower case. */
    private static final String BASIC_CHALLENGE = "Basic realm=\"login-pulse\"";

    @TestHTTPResource("/")
    URI baseUri;

    @Test
    void pageAndApiAnswerTheConfiguredUser() {
        given().auth().preemptive().basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD).get("/").then().statusCode(200);
        given().auth().preemptive().basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD).get("/api/stats").then()
                .statusCode(200);
    }

    @Test
    void pageApiAndUnknownPathsWithoutCredentialsAreChallenged() {
        for (String path : new String[] { "/", "/api/stats", "/api/states/RI", "/vendor/d3-geo/package.json",
                "/a/path/added/later" }) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", equalToIgnoringCase(BASIC_CHALLENGE));
        }
    }

    @Test
    void historyPageAndHistoryApiAreChallengedWithoutCredentials() {
        for (String path : new String[] { HistoryPage.PATH, HistoryPage.PATH + "?from=2026-12-01&to=2026-12-07",
                HistoryProxy.PATH + "?from=2026-12-01&to=2026-12-02", HistoryProxy.PATH + "/TX?from=2026-12-01&to=2026-12-02",
                "/js/history.js" }) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate", equalToIgnoringCase(BASIC_CHALLENGE));
        }
    }

    @Test
    void historyPageAndHistoryApiAnswerTheConfiguredUser() {
        given().auth().preemptive().basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD).get(HistoryPage.PATH).then()
                .statusCode(200);
        // past authentication, the query goes to the archiver, which this profile points where nothing listens
        given().auth().preemptive().basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD)
                .get(HistoryProxy.PATH + "?from=2026-12-01&to=2026-12-02").then().statusCode(503);
        given().auth().oauth2(TestTokens.valid("grafana")).get(HistoryProxy.PATH + "/TX?from=2026-12-01&to=2026-12-02")
                .then().statusCode(503);
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefused() {
        given().auth().preemptive().basic(AuthOnProfile.USER, "wrong").get("/api/stats").then().statusCode(401);
        given().auth().preemptive().basic("intruder", AuthOnProfile.PASSWORD).get("/").then().statusCode(401);
    }

    @Test
    void aBearerTokenSignedByTheConfiguredKeyIsAccepted() {
        given().auth().oauth2(TestTokens.valid("grafana")).get("/api/stats").then().statusCode(200);
        assertThat(upgradeStatus("Bearer " + TestTokens.valid("grafana"), null)).isEqualTo(101);
    }

    @Test
    void bearerTokensSignedByAnotherKeyExpiredOrFromAnotherIssuerAreRefused() {
        Instant inAnHour = Instant.now().plusSeconds(3600);
        for (String token : new String[] {
                TestTokens.token("jwt/foreign-private-key.pem", TestTokens.ISSUER, "intruder", inAnHour),
                TestTokens.token("jwt/private-key.pem", TestTokens.ISSUER, "grafana", Instant.now().minusSeconds(600)),
                TestTokens.token("jwt/private-key.pem", "https://other-idp.test", "grafana", inAnHour),
                "not.a.token" }) {
            given().auth().oauth2(token).get("/api/stats").then().statusCode(401);
        }
        assertThat(upgradeStatus("Bearer " + TestTokens.token("jwt/foreign-private-key.pem", TestTokens.ISSUER,
                "intruder", inAnHour), null)).isEqualTo(401);
    }

    @Test
    void healthAndMetricsStayOpenForProbesAndPrometheus() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void webSocketUpgradeWithoutCredentialsIsRefusedWith401() {
        assertThat(upgradeStatus(null, null)).isEqualTo(401);
    }

    @Test
    void webSocketUpgradeWithAWrongPasswordIsRefusedWith401() {
        assertThat(upgradeStatus(basic(AuthOnProfile.USER, "wrong"), null)).isEqualTo(401);
    }

    @Test
    void webSocketUpgradeWithTheConfiguredUserOpens() {
        assertThat(upgradeStatus(basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD), null)).isEqualTo(101);
    }

    @Test
    void webSocketUpgradeFromTheSameOriginOpens() {
        String sameOrigin = "http://" + baseUri.getHost() + ":" + baseUri.getPort();
        assertThat(upgradeStatus(basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD), sameOrigin)).isEqualTo(101);
    }

    @Test
    void webSocketUpgradeFromAConfiguredOriginOpens() {
        assertThat(upgradeStatus(basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD), AuthOnProfile.ALLOWED_ORIGIN))
                .isEqualTo(101);
    }

    @Test
    void webSocketUpgradeFromAForeignOriginIsRefusedWith403EvenWithCredentials() {
        assertThat(upgradeStatus(basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD), "https://evil.example.net"))
                .isEqualTo(403);
        // the same host on another port is another origin
        assertThat(upgradeStatus(basic(AuthOnProfile.USER, AuthOnProfile.PASSWORD),
                "http://" + baseUri.getHost() + ":" + (baseUri.getPort() + 1))).isEqualTo(403);
        assertThat(upgradeStatus(null, "null")).isEqualTo(403);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Opens {@link StatsSocket#PATH} with these headers (null: not sent): 101 if it opened, else the refusal's status. */
    private int upgradeStatus(String authorization, String origin) {
        URI uri = URI.create("ws://" + baseUri.getHost() + ":" + baseUri.getPort() + StatsSocket.PATH);
        try (HttpClient client = HttpClient.newHttpClient()) {
            WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            if (origin != null) {
                builder.header("Origin", origin);
            }
            CompletableFuture<WebSocket> opening = builder.buildAsync(uri, new WebSocket.Listener() {
            });
            try {
                WebSocket socket = opening.get(10, TimeUnit.SECONDS);
                socket.abort();
                return 101;
            } catch (Exception e) {
                Throwable cause = e;
                while (cause != null && !(cause instanceof WebSocketHandshakeException)) {
                    cause = cause.getCause();
                }
                assertThat(cause).as("the refusal of the upgrade").isNotNull().hasNoSuppressedExceptions();
                return ((WebSocketHandshakeException) cause).getResponse().statusCode();
            }
        }
    }
}
