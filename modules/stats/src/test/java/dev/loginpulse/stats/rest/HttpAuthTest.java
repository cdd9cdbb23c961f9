package dev.loginpulse.stats.rest;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.loginpulse.devbroker.KafkaBrokerTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalToIgnoringCase;

/** The stats REST API with {@code pulse.auth.enabled}: queries and OpenAPI need the user; health and metrics do not. */
@QuarkusTest
@TestProfile(HttpAuthTest.AuthOn.class)
@WithTestResource(value = KafkaBrokerTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class HttpAuthTest {

    static final String USER = "analyst";
    static final String PASSWORD = "p@ss:word with spaces";

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pulse.auth.enabled", "true", "pulse.auth.username", USER, "pulse.auth.password", PASSWORD);
        }
    }

    @Inject
    QueryRouter router;

    @Test
    void queriesAndTheOpenApiDocumentAnswerTheConfiguredUser() {
        given().auth().preemptive().basic(USER, PASSWORD).get("/q/openapi").then().statusCode(200);
        // 503 until Kafka Streams runs; then the configured user gets the answer
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(
                () -> given().auth().preemptive().basic(USER, PASSWORD).get("/api/devices").then().statusCode(200));
    }

    @Test
    void queriesAndTheOpenApiDocumentWithoutCredentialsAreChallenged() {
        for (String path : new String[] { "/api/devices", "/api/states/RI", "/api/ips/top", "/api/locales",
                "/q/openapi" }) {
            given().get(path).then().statusCode(401).header("WWW-Authenticate",
                    equalToIgnoringCase("Basic realm=\"login-pulse\""));
        }
    }

    @Test
    void wrongPasswordAndUnknownUserAreRefused() {
        given().auth().preemptive().basic(USER, "p@ss:word").get("/api/devices").then().statusCode(401);
        given().auth().preemptive().basic("admin", PASSWORD).get("/api/states/RI").then().statusCode(401);
    }

    @Test
    void healthAndMetricsStayOpenForProbesAndPrometheus() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aProxiedQueryCarriesTheClientsCredentialsToTheOwner() {
        URI owner = URI.create("http://10.0.0.7:8083/api/states/RI");
        HttpRequest withCredentials = router.proxyRequest(owner, "Basic YW5hbHlzdDpzZWNyZXQ=");
        assertThat(withCredentials.headers().firstValue("Authorization")).hasValue("Basic YW5hbHlzdDpzZWNyZXQ=");
        assertThat(withCredentials.headers().firstValue(QueryRouter.FORWARDED)).hasValue(router.self());
        assertThat(router.proxyRequest(owner, null).headers().firstValue("Authorization")).isEmpty();
    }
}
