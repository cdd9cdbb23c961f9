package dev.loginpulse.dashboard.history;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.loginpulse.dashboard.messaging.InMemoryChannels;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's {@code /api/history/states} against a stand-in archiver ({@link ArchiverStub}, a real HTTP server):
 * what is forwarded, what comes back, and what the caller gets when the archiver is down or slow; and the
 * {@code /history} page with its assets.
 */
@QuarkusTest
@WithTestResource(value = InMemoryChannels.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = ArchiverStub.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class HistoryProxyTest {

    private static final String ITEMS = "{\"from\":\"2026-12-01T00:00:00Z\",\"to\":\"2026-12-03T00:00:00Z\","
            + "\"granularity\":\"day\",\"items\":[{\"state\":\"TX\",\"period_start\":\"2026-12-01T00:00:00Z\","
            + "\"logins\":1234,\"distinct_users\":567}]}";

    @Test
    void theQueryStringReachesTheArchiverVerbatimAndItsAnswerComesBackAsItIs() {
        ArchiverStub.answer(200, ITEMS);
        String query = "from=2026-12-01T13%3A00%3A00Z&to=2026-12-02&granularity=hour&note=a%2Bb%20c";

        Response response = given().urlEncodingEnabled(false).get(HistoryProxy.PATH + "?" + query);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.asString()).isEqualTo(ITEMS);
        assertThat(ArchiverStub.last.method()).isEqualTo("GET");
        assertThat(ArchiverStub.last.rawPath()).isEqualTo("/api/history/states");
        assertThat(ArchiverStub.last.rawQuery()).isEqualTo(query);
    }

    @Test
    void oneStateIsForwardedToTheArchiversStatePath() {
        ArchiverStub.answer(200, ITEMS);

        Response response = given().urlEncodingEnabled(false).get(HistoryProxy.PATH + "/TX?from=2026-12-01&to=2026-12-02");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).isEqualTo(ITEMS);
        assertThat(ArchiverStub.last.rawPath()).isEqualTo("/api/history/states/TX");
        assertThat(ArchiverStub.last.rawQuery()).isEqualTo("from=2026-12-01&to=2026-12-02");
    }

    @Test
    void theCallersAuthorizationIsForwardedAndNoneIsInventedWithoutIt() {
        ArchiverStub.answer(200, ITEMS);
        String authorization = "Basic " + Base64.getEncoder()
                .encodeToString("viewer:secret".getBytes(StandardCharsets.UTF_8));

        given().header("Authorization", authorization).get(HistoryProxy.PATH + "?from=2026-12-01&to=2026-12-02").then()
                .statusCode(200);
        assertThat(ArchiverStub.last.authorization()).isEqualTo(authorization);

        given().get(HistoryProxy.PATH + "?from=2026-12-01&to=2026-12-02").then().statusCode(200);
        assertThat(ArchiverStub.last.authorization()).isNull();
    }

    @Test
    void theArchiversBadRequestIsPassedOnWithItsError() {
        String error = "{\"error\":\"from must be before to\"}";
        ArchiverStub.answer(400, error);

        Response response = given().get(HistoryProxy.PATH + "?from=2026-12-05&to=2026-12-01");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.asString()).isEqualTo(error);
    }

    @Test
    void theArchiversNotFoundForAnUnknownStateIsPassedOnWithItsError() {
        String error = "{\"error\":\"unknown state ZZ\"}";
        ArchiverStub.answer(404, error);

        Response response = given().get(HistoryProxy.PATH + "/ZZ?from=2026-12-01&to=2026-12-02");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.asString()).isEqualTo(error);
        assertThat(ArchiverStub.last.rawPath()).isEqualTo("/api/history/states/ZZ");
    }

    @Test
    void anArchiverThatIsDownGives503WithAClearJsonError() {
        ArchiverStub.down();
        try {
            Response response = given().get(HistoryProxy.PATH + "?from=2026-12-01&to=2026-12-02");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.contentType()).startsWith("application/json");
            assertThat(response.jsonPath().getString("error"))
                    .startsWith("history unavailable: the archiver at http://127.0.0.1:")
                    .contains("cannot be reached");
        } finally {
            ArchiverStub.up();
        }
        ArchiverStub.answer(200, ITEMS);
        given().get(HistoryProxy.PATH + "?from=2026-12-01&to=2026-12-02").then().statusCode(200);
    }

    @Test
    void anArchiverSlowerThanTheTimeoutGives503() {
        ArchiverStub.answer(200, ITEMS);
        CountDownLatch release = new CountDownLatch(1);
        ArchiverStub.hold = release;
        try {
            Response response = given().get(HistoryProxy.PATH + "?from=2026-12-01&to=2026-12-02");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.jsonPath().getString("error")).contains("did not answer within PT1S");
        } finally {
            ArchiverStub.hold = null;
            release.countDown();
        }
    }

    @Test
    void theHistoryPageRendersWithItsControlsLinksAndAssets() throws Exception {
        Response page = given().get(HistoryPage.PATH);

        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.asString();
        assertThat(html).contains("id=\"history-form\"", "id=\"from\"", "id=\"to\"", "id=\"state\"", "id=\"day\"",
                "id=\"hour\"", "id=\"history-chart\"", "id=\"map\"", "id=\"day-table\"", "id=\"daily\"",
                "<option value=\"TX\">Texas (TX)</option>", "<option value=\"UNK\">", "href=\"/\"", "href=\"/ops\"");
        List<String> assets = new ArrayList<>();
        Matcher refs = Pattern.compile("(?:src|href)=\"(/[^\"]*\\.(?:js|css|svg))\"").matcher(html);
        while (refs.find()) {
            assets.add(refs.group(1));
        }
        Matcher map = Pattern.compile("<script type=\"importmap\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(map.find()).isTrue();
        Matcher imports = Pattern.compile("\"(/vendor/[^\"]+)\"").matcher(map.group(1));
        while (imports.find()) {
            assets.add(imports.group(1));
        }
        // the page's own modules, which history.js imports
        assets.addAll(List.of("/js/format.js", "/js/map.js", "/js/scale.js", "/js/states.js",
                "/vendor/us-atlas/states-10m.json"));
        assertThat(assets).contains("/js/history.js", "/history.css", "/dashboard.css", "/vendor/d3-geo/src/index.js");
        for (String asset : assets) {
            assertThat(given().get(asset).statusCode()).as(asset).isEqualTo(200);
        }
        // the inline import map runs only if the Content-Security-Policy allows its hash
        String hash = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(map.group(1).getBytes(StandardCharsets.UTF_8)));
        assertThat(page.header("Content-Security-Policy")).contains("'sha256-" + hash + "'");
    }

    @Test
    void theLivePageAndTheOperationsViewLinkToTheHistory() {
        assertThat(given().get("/").asString()).contains("href=\"/history\"");
        assertThat(given().get("/ops").asString()).contains("href=\"/history\"");
    }
}
