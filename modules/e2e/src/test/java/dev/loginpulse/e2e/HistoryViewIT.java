package dev.loginpulse.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.loginpulse.events.Topics;
import dev.loginpulse.events.UsState;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history view in a real headless Chromium, on the real pipeline: raw logins of two past days, with known
 * logins and distinct users per state, go through the cleaner and stats into the archiver's lake; once the archiver
 * has committed them, {@code /history} (the dashboard forwarding to the archiver's history API) shows, for the range
 * chosen with the form, each day's logins and distinct users in the chart, and for a day chosen on the chart (by
 * mouse, then by keyboard) every state's figures on the map and in the table; one state chosen, the chart shows its
 * own figures; an hour of a day chosen, the map and table show that hour's figures. With the archiver stopped, the
 * view says that the archiver is unavailable. Expected figures are counted here from the logins sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryViewIT {

    private static final Duration ARCHIVE_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final LocalDate DAY_ONE = TODAY.minusDays(3);
    private static final LocalDate DAY_TWO = TODAY.minusDays(2);
    /** Per day: state, logins, distinct users (UNK from a locale that is no state). */
    private static final Map<LocalDate, List<Object[]>> PLAN = Map.of(
            DAY_ONE, List.of(new Object[] { "TX", 12, 5 }, new Object[] { "CA", 8, 8 }, new Object[] { "RI", 3, 1 },
                    new Object[] { "NY", 6, 3 }, new Object[] { "UNK", 4, 2 }),
            DAY_TWO, List.of(new Object[] { "TX", 7, 7 }, new Object[] { "CA", 15, 4 }, new Object[] { "WY", 2, 2 },
                    new Object[] { "PR", 5, 5 }));

    private final String run = "hist-" + UUID.randomUUID();
    private final Path warehouse = Path.of(System.getProperty("pulse.home", "../.."))
            .resolve("modules/e2e/target/history-lake-" + UUID.randomUUID()).toAbsolutePath().normalize();
    /** day -> hour (UTC) -> state -> user ids of each login sent: the truth ({@link #sent(LocalDate)} per day). */
    private final Map<LocalDate, Map<Integer, Map<String, List<String>>>> sent = new TreeMap<>();
    private Pipeline pipeline;
    private ChromeDriver browser;

    @BeforeAll
    void start() {
        Chromium.requireInstalled();
        pipeline = Pipeline.start(PipelineSupport.options("history")
                .services(List.of(Service.CLEANER, Service.STATS, Service.ARCHIVER, Service.DASHBOARD))
                .env(Service.ARCHIVER, "PULSE_ARCHIVER_WAREHOUSE", warehouse.toString())
                .env(Service.ARCHIVER, "PULSE_ARCHIVER_ROLL_AGE", "PT1S")
                .env(Service.ARCHIVER, "PULSE_ARCHIVER_TICK", "0.2s"));
        browser = Chromium.headless();
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void historyViewShowsTheArchivedFiguresOfTheChosenRangeDayHourAndStateThenThatTheArchiverIsUnavailable() throws Exception {
        Instant started = Instant.now();
        int total = sendLogins();
        String rows = "pulse_archiver_rows_total{table=\"logins\"}";
        await().atMost(ARCHIVE_TIMEOUT).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .untilAsserted(() -> assertThat(PipelineSupport.metric(pipeline, Service.ARCHIVER, rows))
                        .as(PipelineSupport.diagnosis(pipeline)).isGreaterThanOrEqualTo(total));
        Duration archived = Duration.between(started, Instant.now());
        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);
        browser.manage().logs().get(LogType.BROWSER);

        // The range, chosen with the form
        browser.get(pipeline.url(Service.DASHBOARD).resolve("/history").toString());
        wait.until(d -> "ok".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        setDate("from", DAY_ONE);
        setDate("to", DAY_TWO);
        browser.findElement(By.id("show")).click();
        wait.until(d -> bars().size() == 2 && bars().get(0).getDomAttribute("data-day").equals(DAY_ONE.toString()));
        assertThat(browser.getCurrentUrl()).contains("from=" + DAY_ONE, "to=" + DAY_TWO);
        for (LocalDate day : List.of(DAY_ONE, DAY_TWO)) {
            WebElement bar = bar(day);
            assertThat(bar.getDomAttribute("data-logins")).as("logins of %s", day).isEqualTo(String.valueOf(logins(day)));
            assertThat(bar.getDomAttribute("data-users")).as("distinct users of %s, summed over states", day)
                    .isEqualTo(String.valueOf(usersSummed(day)));
        }

        // A day, chosen on the chart with the mouse: map and table show each state's figures of that day
        bar(DAY_ONE).click();
        wait.until(d -> text("map-title").contains(DAY_ONE.toString()));
        assertDayShown(DAY_ONE);
        assertThat(browser.getCurrentUrl()).contains("day=" + DAY_ONE);

        // The other day, by keyboard
        bar(DAY_TWO).sendKeys(Keys.ENTER);
        wait.until(d -> text("map-title").contains(DAY_TWO.toString()));
        assertDayShown(DAY_TWO);

        // An hour of that day, the one with the most logins: map and table show that hour's figures only
        Map<Integer, Map<String, List<String>>> hours = sent.get(DAY_TWO);
        int hour = hours.keySet().stream()
                .max(Comparator.comparingInt((Integer h) -> hours.get(h).values().stream().mapToInt(List::size).sum())
                        .thenComparing(Comparator.reverseOrder()))
                .orElseThrow();
        assertThat(hours).as("the logins of a day fall in several hours").hasSizeGreaterThan(1);
        new Select(browser.findElement(By.id("hour"))).selectByValue(String.valueOf(hour));
        String period = String.format(Locale.US, "%s %02d:00", DAY_TWO, hour);
        wait.until(d -> text("map-title").contains(period));
        assertShown(period, hours.get(hour));
        assertThat(browser.getCurrentUrl()).contains(String.format(Locale.US, "hour=%02d", hour));
        new Select(browser.findElement(By.id("hour"))).selectByValue("");
        wait.until(d -> !text("map-title").contains(period));
        assertDayShown(DAY_TWO);

        // One state: the chart shows its own figures per day
        new Select(browser.findElement(By.id("state"))).selectByValue("TX");
        browser.findElement(By.id("show")).click();
        // the per-day table is folded away (details): its caption is read from the DOM, not as seen
        wait.until(d -> browser.findElement(By.id("daily-caption")).getDomProperty("textContent").contains("Texas"));
        wait.until(d -> bar(DAY_ONE).getDomAttribute("data-logins").equals(String.valueOf(logins(DAY_ONE, "TX"))));
        assertThat(bar(DAY_TWO).getDomAttribute("data-logins")).isEqualTo(String.valueOf(logins(DAY_TWO, "TX")));
        assertThat(bar(DAY_ONE).getDomAttribute("data-users")).isEqualTo(String.valueOf(users(DAY_ONE, "TX")));
        assertThat(bar(DAY_TWO).getDomAttribute("data-users")).isEqualTo(String.valueOf(users(DAY_TWO, "TX")));
        assertThat(browser.getCurrentUrl()).contains("state=TX");
        assertThat(browser.findElement(By.cssSelector("#day-table tr.chosen")).getDomAttribute("data-state"))
                .isEqualTo("TX");
        assertThat(text("history-error")).isEmpty();
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(entry -> entry.getMessage())).as("console errors").isEmpty();
        System.out.printf("History view: %d logins archived %d ms after the first was sent; browser checks %d ms%n", total,
                archived.toMillis(), Duration.between(started, Instant.now()).minus(archived).toMillis());
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "history.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        // The archiver stopped: the dashboard's proxy answers 503, and the view says the archiver is unavailable
        assertThat(pipeline.stopService(Service.ARCHIVER)).as("the archiver stopped").isTrue();
        browser.navigate().refresh();
        wait.until(d -> "error".equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));
        assertThat(text("history-error")).startsWith("The archiver is unavailable: history unavailable: the archiver at ");
    }

    /** Map, table and counters of the chosen day equal what was sent that day; states without logins show 0. */
    private void assertDayShown(LocalDate day) {
        assertShown(day.toString(), sent(day));
    }

    /** Map, table and counters of the chosen period equal the truth; states without logins show 0. */
    private void assertShown(String period, Map<String, List<String>> truth) {
        Map<String, String> expectedRows = new TreeMap<>();
        truth.forEach((state, users) -> expectedRows.put(state, state + " " + users.size() + " "
                + new HashSet<>(users).size()));
        Map<String, String> shownRows = new TreeMap<>();
        for (WebElement row : browser.findElements(By.cssSelector("#day-table tbody tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            shownRows.put(row.getDomAttribute("data-state"), cells.get(0).getText() + " "
                    + cells.get(2).getText().replace(",", "") + " " + cells.get(3).getText().replace(",", ""));
        }
        assertThat(shownRows).as("table of %s", period).isEqualTo(expectedRows);
        Map<String, String> expectedMap = new TreeMap<>();
        for (UsState state : UsState.values()) {
            List<String> users = truth.get(state.code());
            expectedMap.put(state.code(), String.valueOf(users == null ? 0 : users.size()));
        }
        Map<String, String> shownMap = new TreeMap<>();
        browser.findElements(By.cssSelector("#map path[data-state]")).forEach(path -> shownMap
                .put(path.getDomAttribute("data-state"), path.getDomAttribute("data-logins")));
        assertThat(shownMap).as("map of %s", period).isEqualTo(expectedMap);
        long logins = truth.values().stream().mapToLong(List::size).sum();
        assertThat(text("day-logins")).isEqualTo(String.format(Locale.US, "%,d", logins));
        assertThat(text("tile-UNK")).endsWith(": " + truth.getOrDefault("UNK", List.of()).size());
    }

    /** Sends the planned logins as raw records, spread over each day; returns how many. */
    private int sendLogins() throws Exception {
        int count = 0;
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            for (Map.Entry<LocalDate, List<Object[]>> plan : new TreeMap<>(PLAN).entrySet()) {
                Instant midnight = plan.getKey().atStartOfDay(ZoneOffset.UTC).toInstant();
                for (Object[] entry : plan.getValue()) {
                    String state = (String) entry[0];
                    int logins = (Integer) entry[1];
                    int users = (Integer) entry[2];
                    for (int i = 0; i < logins; i++) {
                        String user = run + "-" + state + "-u" + (i % users);
                        long seconds = midnight.getEpochSecond() + 600 + (count * 977L) % 84_000;
                        String locale = state.equals("UNK") ? "ZZ" : state;
                        String json = "{\"user_id\":\"" + user + "\",\"app_version\":\"3.0.0\",\"device_type\":\"web\","
                                + "\"ip\":\"10.0.0." + (i % 200) + "\",\"locale\":\"" + locale + "\",\"device_id\":\""
                                + run + "-d" + count + "\",\"timestamp\":" + seconds + "}";
                        producer.send(new ProducerRecord<>(Topics.USER_LOGIN, json.getBytes(StandardCharsets.UTF_8)))
                                .get(30, TimeUnit.SECONDS);
                        sent.computeIfAbsent(plan.getKey(), d -> new TreeMap<>())
                                .computeIfAbsent((int) ((seconds - midnight.getEpochSecond()) / 3_600), h -> new TreeMap<>())
                                .computeIfAbsent(state, s -> new ArrayList<>()).add(user);
                        count++;
                    }
                }
            }
        }
        return count;
    }

    /** state -> user ids of each login sent that day, over all its hours. */
    private Map<String, List<String>> sent(LocalDate day) {
        Map<String, List<String>> states = new TreeMap<>();
        sent.get(day).values().forEach(hour -> hour.forEach(
                (state, users) -> states.computeIfAbsent(state, s -> new ArrayList<>()).addAll(users)));
        return states;
    }

    private long logins(LocalDate day) {
        return sent(day).values().stream().mapToLong(List::size).sum();
    }

    private long logins(LocalDate day, String state) {
        return sent(day).getOrDefault(state, List.of()).size();
    }

    private long users(LocalDate day, String state) {
        return new HashSet<>(sent(day).getOrDefault(state, List.of())).size();
    }

    private long usersSummed(LocalDate day) {
        Map<String, Set<String>> distinct = new HashMap<>();
        sent(day).forEach((state, users) -> distinct.put(state, new HashSet<>(users)));
        return distinct.values().stream().mapToLong(Set::size).sum();
    }

    private List<WebElement> bars() {
        return browser.findElements(By.cssSelector("#history-chart rect.day-bar"));
    }

    private WebElement bar(LocalDate day) {
        return browser.findElement(By.cssSelector("#history-chart rect.day-bar[data-day='" + day + "']"));
    }

    /** Sets a date input as a user's picker would (typing is locale-dependent in Chromium). */
    private void setDate(String id, LocalDate day) {
        ((JavascriptExecutor) browser).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
                browser.findElement(By.id(id)), day.toString());
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }
}
