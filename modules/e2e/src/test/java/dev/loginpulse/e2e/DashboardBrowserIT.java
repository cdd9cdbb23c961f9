package dev.loginpulse.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.loginpulse.events.AppVersions;
import dev.loginpulse.events.DeviceMix;
import dev.loginpulse.events.DistinctCounts;
import dev.loginpulse.events.Insight;
import dev.loginpulse.events.StateInsights;
import dev.loginpulse.events.StateStats;
import dev.loginpulse.events.TopIps;
import dev.loginpulse.events.Topics;
import dev.loginpulse.events.UsState;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.PipelineOptions;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real headless Chromium: the packaged dashboard on a real broker, stats records published with a
 * real producer. The page shows the right total, a state's colour and hover text change with new figures, and after
 * the server restarts the page reconnects by itself; the colour scale keeps the states apart however large the unknown
 * locale; at 390 px wide the page fits, a state's panel opens and closes by keyboard, and the console has no error.
 * Screenshots go to {@code target/dashboard.png} and {@code target/dashboard-390.png} (the README's, in
 * {@code docs/}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
// Each test's expectations are its own (windowLogins); by name, the narrow screenshot comes last, with every figure.
@TestMethodOrder(MethodOrderer.MethodName.class)
class DashboardBrowserIT {

    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final Instant WINDOW = Instant.parse("2026-11-21T12:00:00Z");

    private PipelineOptions options;
    private Pipeline pipeline;
    private ChromeDriver browser;
    private KafkaProducer<String, StateStats> producer;
    private KafkaProducer<String, Insight> insights;
    private KafkaProducer<String, StateInsights> mixes;
    /** Each state's logins in the window, as last published by this class: what the page must show. */
    private final Map<String, Long> windowLogins = new HashMap<>();
    private final Map<String, Long> windowUsers = new HashMap<>();

    @BeforeAll
    void start() {
        Chromium.requireInstalled();
        options = PipelineSupport.options("browser").services(List.of(Service.DASHBOARD));
        pipeline = Pipeline.start(options);
        producer = PipelineSupport.statsProducer(pipeline);
        insights = PipelineSupport.insightsProducer(pipeline);
        mixes = PipelineSupport.stateInsightsProducer(pipeline);
        browser = Chromium.headless();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (producer != null) {
            producer.close();
        }
        if (insights != null) {
            insights.close();
        }
        if (mixes != null) {
            mixes.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void pageShowsLiveTotalsColoursAndHoverTextAndReconnectsAfterARestart() throws Exception {
        publish("CA", 40, 30, 400);
        publish("TX", 25, 20, 250);
        publish("RI", 1, 1, 10);
        publish("UNK", 3, 3, 30);
        browser.get(pipeline.url(Service.DASHBOARD).toString());

        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        wait.until(d -> text("status").equals("live"));
        wait.until(d -> text("total-logins").equals("690"));
        // 50 states, DC and Puerto Rico, each a shape with its code; the unknown locale apart.
        assertThat(browser.findElements(By.cssSelector("#map path[data-state]"))).hasSize(52);
        assertThat(text("tile-UNK")).contains("3 / 30");
        assertThat(browser.findElement(By.cssSelector("#top10 tbody tr")).getText()).startsWith("California (CA)");

        WebElement rhodeIsland = browser.findElement(By.cssSelector("#map path[data-state='RI']"));
        String colourBefore = rhodeIsland.getDomAttribute("fill");
        new Actions(browser).moveToElement(rhodeIsland).perform();
        wait.until(d -> text("tooltip").contains("Total since start: 10"));
        assertThat(text("tooltip")).contains("Rhode Island (RI)", "Logins in window: 1", "Distinct users in window: 1");

        publish("RI", 60, 50, 600);
        wait.until(d -> text("total-logins").equals("1,280"));
        wait.until(d -> text("tooltip").contains("Total since start: 600"));
        assertThat(rhodeIsland.getDomAttribute("fill")).isNotEqualTo(colourBefore);

        pipeline.stopService(Service.DASHBOARD);
        wait.until(d -> !text("status").equals("live"));
        pipeline.startService(Service.DASHBOARD);
        pipeline.awaitReady(Duration.ofSeconds(120));
        publish("NY", 5, 5, 50);
        wait.until(d -> text("status").equals("live"));
        wait.until(d -> text("total-logins").equals("1,330"));

        // Every state with figures roughly in proportion to its population, for the screenshot in docs/.
        long expectedTotal = 1_330 - 600 - 400 - 250 - 50;
        for (UsState state : UsState.values()) {
            long logins = 5 + Math.abs(state.displayName().hashCode() % 120);
            publish(state.code(), logins, logins * 4 / 5, logins * 37);
            expectedTotal += logins * 37;
        }
        String expected = String.format(Locale.US, "%,d", expectedTotal);
        wait.until(d -> text("total-logins").equals(expected));

        // The unknown locale far above every state: the states' colours still spread over the classes.
        publish("UNK", 50_000, 40_000, 500_000);
        wait.until(d -> text("tile-UNK").contains("50,000"));
        String smallest = mapStateWith(Comparator.naturalOrder());
        String largest = mapStateWith(Comparator.reverseOrder());
        assertThat(fill(smallest)).as("%s (%d logins) and %s (%d)", smallest, windowLogins.get(smallest), largest,
                windowLogins.get(largest)).isNotEqualTo(fill(largest));
        assertThat(browser.findElements(By.cssSelector("#map path[data-state]")).stream()
                .map(path -> path.getDomAttribute("fill")).distinct()).as("colours on the map").hasSizeGreaterThan(4);
        List<String> legend = browser.findElements(By.cssSelector("#legend .legend-item")).stream()
                .map(WebElement::getText).toList();
        assertThat(legend.get(legend.size() - 1)).as("the top class ends at the largest state, not at UNK")
                .endsWith(String.format(Locale.US, "%,d", windowLogins.get(largest)));

        new Actions(browser).moveToElement(browser.findElement(By.cssSelector("#map path[data-state='TX']"))).perform();
        wait.until(d -> text("tooltip").contains("Texas (TX)"));
        screenshot("dashboard.png");
    }

    @Test
    void stateOpensItsPanelByKeyboardWithItsMixAndThePageFitsANarrowPhoneScreenWithoutConsoleErrors()
            throws Exception {
        // Texas's window and its mix: exact device types and versions, IPs counted with an error of 3 (only those
        // surely seen more than once are shown, with their sure and counted logins), and a device type that is
        // markup, to be shown as text
        publish("TX", 9, 7, 9);
        mixes.send(new ProducerRecord<>(Topics.USER_LOGIN_STATE_INSIGHTS, "TX", new StateInsights("TX",
                WINDOW.toString(), WINDOW.plusSeconds(60).toString(), 9,
                new StateInsights.Ranking(List.of(new StateInsights.Entry("ios", 6),
                        new StateInsights.Entry("<b>tv</b>", 3)), 0),
                new StateInsights.Ranking(List.of(new StateInsights.Entry("2.1.0", 9)), 0),
                new StateInsights.Ranking(List.of(new StateInsights.Entry("10.66.66.66", 6, 4),
                        new StateInsights.Entry("10.0.0.1", 2, 0)), 3))))
                .get(30, TimeUnit.SECONDS);
        browser.manage().window().setSize(new Dimension(390, 844));
        // What the console held before (the other tests' reconnects while the dashboard restarted) is not this page's.
        browser.manage().logs().get(LogType.BROWSER);
        try {
            browser.get(pipeline.url(Service.DASHBOARD).toString());
            WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
            wait.until(d -> text("status").equals("live"));
            wait.until(d -> browser.findElements(By.cssSelector("#map path[data-state]")).size() == 52);
            assertThat(script("return document.documentElement.scrollWidth")).as("page width at 390 px")
                    .isEqualTo(script("return document.documentElement.clientWidth"));

            WebElement texas = browser.findElement(By.cssSelector("#map path[data-state='TX']"));
            script("arguments[0].focus()", texas);
            new Actions(browser).sendKeys(Keys.ENTER).perform();
            wait.until(d -> browser.findElement(By.id("state-panel")).isDisplayed());
            assertThat(script("return document.activeElement.id")).isEqualTo("panel-title");
            assertThat(text("panel-title")).isEqualTo("Texas (TX)");
            assertThat(panelFigure("Logins in the window"))
                    .isEqualTo(String.format(Locale.US, "%,d", windowLogins.getOrDefault("TX", 0L)));
            // Its windows, from the dashboard's GET /api/states/TX: the one window this class publishes, if it did.
            List<String> expectedWindows = windowLogins.containsKey("TX")
                    ? List.of(String.format(Locale.US, "12:00:00 %,d %,d", windowLogins.get("TX"), windowUsers.get("TX")))
                    : List.of();
            wait.until(d -> panelWindows().equals(expectedWindows));
            wait.until(d -> panelMix("devices").equals(List.of("ios 6", "<b>tv</b> 3")));
            assertThat(panelMix("app_versions")).containsExactly("2.1.0 9");
            assertThat(panelMix("ips")).as("only the IP surely seen twice").containsExactly("10.66.66.66 4–6");
            assertThat(browser.findElement(By.cssSelector("#state-panel table[data-list='ips'] caption")).getText())
                    .isEqualTo("Top IPs (counts ± 3)");
            assertThat(browser.findElements(By.cssSelector("#state-panel .panel-mix b"))).as("markup shown as text")
                    .isEmpty();
            screenshot("dashboard-390.png");

            new Actions(browser).sendKeys(Keys.ESCAPE).perform();
            wait.until(d -> !browser.findElement(By.id("state-panel")).isDisplayed());
            assertThat(script("return document.activeElement.getAttribute('data-state')")).as("focus back on the state")
                    .isEqualTo("TX");
            new Actions(browser).sendKeys(Keys.TAB).perform();
            assertThat(script("return document.activeElement.getAttribute('data-state')")).as("the next state by Tab")
                    .isEqualTo("UT");
            new Actions(browser).sendKeys(Keys.SPACE).perform();
            wait.until(d -> text("panel-title").equals("Utah (UT)"));
            browser.findElement(By.cssSelector("#state-panel .panel-close")).click();
            wait.until(d -> !browser.findElement(By.id("state-panel")).isDisplayed());

            assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("console errors")
                    .noneMatch(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue());
        } finally {
            browser.manage().window().setSize(new Dimension(1400, 1000));
        }
    }

    /** The map state (UNK excluded) with the fewest or the most logins in the window, by the test's own record. */
    private String mapStateWith(Comparator<Long> order) {
        return windowLogins.entrySet().stream().filter(entry -> !entry.getKey().equals("UNK"))
                .min(Map.Entry.comparingByValue(order)).orElseThrow().getKey();
    }

    private String fill(String state) {
        return browser.findElement(By.cssSelector("#map path[data-state='" + state + "']")).getDomAttribute("fill");
    }

    private List<String> panelWindows() {
        return browser.findElements(By.cssSelector("#state-panel .panel-windows tbody tr")).stream()
                .map(row -> row.getText().trim().replaceAll("\\s+", " ")).toList();
    }

    private List<String> panelMix(String list) {
        return browser.findElements(By.cssSelector("#state-panel table[data-list='" + list + "'] tbody tr")).stream()
                .map(row -> row.getText().trim().replaceAll("\\s+", " ")).toList();
    }

    private String panelFigure(String label) {
        List<WebElement> terms = browser.findElements(By.cssSelector("#state-panel dt"));
        List<WebElement> values = browser.findElements(By.cssSelector("#state-panel dd"));
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).getText().equals(label)) {
                return values.get(i).getText();
            }
        }
        throw new IllegalStateException("no " + label + " in the state panel");
    }

    private Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    /** A screenshot under target/, where the README's images are copied from. */
    private void screenshot(String name) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void insightPanelsShowTheDeviceMixAppVersionsAndFlaggedIpsWithHostileTextAsText() throws Exception {
        // Insight records only: the other test's totals must not change. Its state stats use the same window.
        String start = WINDOW.toString();
        String end = WINDOW.plusSeconds(60).toString();
        String hostile = "<img src=x onerror=alert(1)>";
        publish(new DeviceMix(Insight.HOPPING, start, end, 100, ordered("android", 60L, "ios", 30L, hostile, 10L), 0));
        publish(new AppVersions(Insight.HOPPING, start, end, 100,
                Map.of("android", Map.of("2.3.0", 50L, "2.4.0", 10L), "ios", Map.of("3.0.0", 30L)), 10));
        publish(new DistinctCounts(Insight.HOPPING, start, end, 100, 87, 0.01625, 42));
        publish(new TopIps(Insight.HOPPING, start, end, 20, 1, List.of(new TopIps.IpCount("203.0.113.7", 25, true),
                new TopIps.IpCount("198.51.100.2", 4, false))));
        browser.get(pipeline.url(Service.DASHBOARD).toString());

        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        wait.until(d -> text("status").equals("live"));
        wait.until(d -> text("distinct-ips").equals("42"));
        // The panels' rows come from the script only: once they are there, the script has rendered the insights.
        wait.until(d -> rows("device-mix").size() == 3 && rows("top-ips").size() == 2);
        assertThat(text("distinct-devices")).isEqualTo("≈ 87");
        assertThat(text("ips-over-threshold")).isEqualTo("1");
        assertThat(rows("device-mix")).containsExactly("android 60 60.0 %", "ios 30 30.0 %", hostile + " 10 10.0 %");
        assertThat(browser.findElements(By.cssSelector("#device-mix img"))).isEmpty();
        assertThat(rows("app-versions")).containsExactly("android 2.3.0 50", "android 2.4.0 10", "ios 3.0.0 30");
        assertThat(rows("top-ips")).containsExactly("203.0.113.7 25 over threshold", "198.51.100.2 4");
        assertThat(browser.findElement(By.cssSelector("#top-ips tr[data-ip='203.0.113.7']")).getDomAttribute("class"))
                .isEqualTo("flagged");
        assertThat(text("ip-alert")).contains("above 20 logins");

        publish(new TopIps(Insight.HOPPING, start, end, 20, 2, List.of(new TopIps.IpCount("198.51.100.2", 31, true),
                new TopIps.IpCount("203.0.113.7", 25, true))));
        wait.until(d -> text("ips-over-threshold").equals("2"));
        assertThat(rows("top-ips")).containsExactly("198.51.100.2 31 over threshold",
                "203.0.113.7 25 over threshold");
    }

    /** Counts in the given order, as stats publishes them (most first). */
    private static Map<String, Long> ordered(Object... pairs) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            counts.put((String) pairs[i], (Long) pairs[i + 1]);
        }
        return counts;
    }

    private List<String> rows(String table) {
        return browser.findElements(By.cssSelector("#" + table + " tbody tr")).stream()
                .map(row -> row.getText().trim().replaceAll("\\s+", " ")).toList();
    }

    private void publish(Insight insight) throws Exception {
        insights.send(new ProducerRecord<>(Topics.USER_LOGIN_INSIGHTS, insight.kind(), insight)).get(30,
                TimeUnit.SECONDS);
    }

    /** Last (by name): the dashboard restarted with HTTP authentication on, signed in to as a person would. */
    @Test
    void withAuthenticationOnTheBrowserSignsInWithBasicCredentialsAndItsWebSocketFollowsLive() throws Exception {
        options.env(Service.DASHBOARD, "PULSE_AUTH_ENABLED", "true");
        options.env(Service.DASHBOARD, "PULSE_AUTH_USERNAME", "viewer");
        options.env(Service.DASHBOARD, "PULSE_AUTH_PASSWORD", "correct horse");
        pipeline.stopService(Service.DASHBOARD);
        pipeline.startService(Service.DASHBOARD);
        pipeline.awaitReady(Duration.ofSeconds(120));
        assertThat(PipelineSupport.status(pipeline, Service.DASHBOARD, "/")).isEqualTo(401);

        // As after a person answered the sign-in prompt: the credentials of a first visit's URL go into Chromium's
        // cache, and the page proper (whose own URL must carry none: fetch refuses URLs with credentials) is sent them
        // with its scripts, its fetches and its WebSocket's upgrade (same origin: the Origin check lets it through).
        String authority = pipeline.url(Service.DASHBOARD).getAuthority();
        browser.get("http://viewer:correct%20horse@" + authority + "/");
        browser.get("http://" + authority + "/");
        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        wait.until(d -> text("status").equals("live"));
        String before = text("total-logins");
        publish("WY", 9, 9, 9_000_000);
        wait.until(d -> !text("total-logins").equals(before));
        assertThat(browser.findElements(By.cssSelector("#map path[data-state]"))).hasSize(52);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private void publish(String state, long logins, long users, long total) throws Exception {
        StateStats stats = new StateStats(state, WINDOW.toString(), WINDOW.plusSeconds(60).toString(), logins, users,
                total, WINDOW.plusSeconds(30).toString());
        producer.send(new ProducerRecord<>(Topics.USER_LOGIN_STATS, state, stats)).get(30, TimeUnit.SECONDS);
        windowLogins.put(state, logins);
        windowUsers.put(state, users);
    }
}
