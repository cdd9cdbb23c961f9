package dev.loginpulse.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.loginpulse.devbroker.KafkaCluster;
import dev.loginpulse.events.Topics;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations view ({@code /ops}) in a real headless Chromium, on a real 3-node KRaft cluster with only the
 * dashboard running: all three brokers up, the active controller, the records of a topic and a group's lag coloured
 * by its threshold; then the active controller's node is SIGKILLed, and the page marks it down, names another active
 * controller and shows under-replicated partitions; once the node is started again, all three are up and in sync.
 * Screenshots go to {@code target/ops.png} and {@code target/ops-390.png} (the README's, in {@code docs/}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsViewIT {

    /** Only for when a condition never comes: a fenced broker is seen after the session timeout (9 s) and more. */
    private static final Duration UI_TIMEOUT = Duration.ofSeconds(120);
    private static final String GROUP = "cleaner";
    private static final int PRODUCED = 500;
    private static final long COMMITTED = 200;
    /** The lag of {@link #GROUP} ({@value #PRODUCED} - {@value #COMMITTED}) is between these: a warning. */
    private static final int LAG_WARN = 100;
    private static final int LAG_CRITICAL = 1_000;

    private Pipeline pipeline;
    private ChromeDriver browser;

    @BeforeAll
    void start() {
        Chromium.requireInstalled();
        pipeline = Pipeline.start(PipelineSupport.options("ops").brokers(3).services(List.of(Service.DASHBOARD))
                .env(Service.DASHBOARD, "PULSE_DASHBOARD_OPS_LAG_WARN", String.valueOf(LAG_WARN))
                .env(Service.DASHBOARD, "PULSE_DASHBOARD_OPS_LAG_CRITICAL", String.valueOf(LAG_CRITICAL)));
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
    void killedBrokerIsMarkedDownWithUnderReplicatedPartitionsAndUpAgainAfterItsRestart() throws Exception {
        Instant started = Instant.now();
        KafkaCluster cluster = pipeline.cluster();
        TopicPartition raw0 = new TopicPartition(Topics.USER_LOGIN, 0);
        try (KafkaProducer<byte[], byte[]> producer = PipelineSupport.producer(pipeline)) {
            for (int i = 0; i < PRODUCED; i++) {
                producer.send(new ProducerRecord<>(Topics.USER_LOGIN, 0, null, ("{\"n\":" + i + "}").getBytes()));
            }
            producer.flush();
        }
        try (Admin admin = PipelineSupport.admin(pipeline)) {
            admin.alterConsumerGroupOffsets(GROUP, Map.of(raw0, new OffsetAndMetadata(COMMITTED))).all()
                    .get(60, TimeUnit.SECONDS);
        }
        // The console's earlier entries are not this page's.
        browser.manage().logs().get(LogType.BROWSER);
        browser.get(pipeline.url(Service.DASHBOARD).resolve("/ops").toString());
        WebDriverWait wait = new WebDriverWait(browser, UI_TIMEOUT);

        wait.until(d -> text("status").equals("live"));
        wait.until(d -> brokerRows().size() == 3 && brokerRows().stream().allMatch(row -> row.contains(" up ")));
        int controller = cluster.activeController();
        wait.until(d -> text("active-controller").equals("node " + controller));
        assertThat(text("under-replicated")).isEqualTo("0");
        assertThat(text("offline")).isEqualTo("0");
        assertThat(text("brokers-up")).isEqualTo("3 of 3");
        wait.until(d -> row("groups", "group", GROUP).startsWith(GROUP + " " + Topics.USER_LOGIN + " "
                + (PRODUCED - COMMITTED) + " "));
        assertThat(row("groups", "group", GROUP)).endsWith("WARN");
        assertThat(row("topics", "topic", Topics.USER_LOGIN)).startsWith(Topics.USER_LOGIN + " 3 " + PRODUCED + " ");

        String address = row("brokers", "node", String.valueOf(controller)).split(" ")[2];
        assertThat(address).matches("127\\.0\\.0\\.1:[0-9]+");
        cluster.node(controller).kill();
        wait.until(d -> row("brokers", "node", String.valueOf(controller)).contains("DOWN"));
        assertThat(row("brokers", "node", String.valueOf(controller))).as("its address as last seen")
                .contains(address);
        wait.until(d -> Integer.parseInt(text("under-replicated")) > 0);
        wait.until(d -> text("active-controller").matches("node [0-9]+")
                && !text("active-controller").equals("node " + controller));
        assertThat(text("brokers-up")).isEqualTo("2 of 3");
        assertThat(text("overall")).isEqualTo("CRITICAL");
        assertThat(script("return document.querySelector(arguments[0]).className",
                "#brokers tr[data-node='" + controller + "'] .level")).isEqualTo("level critical");
        Duration downSeen = Duration.between(started, Instant.now());
        screenshot("ops.png");

        cluster.restart(controller);
        wait.until(d -> brokerRows().stream().allMatch(row -> row.contains(" up ")));
        wait.until(d -> text("under-replicated").equals("0"));
        assertThat(text("brokers-up")).isEqualTo("3 of 3");

        browser.manage().window().setSize(new Dimension(390, 844));
        wait.until(d -> script("return document.documentElement.scrollWidth")
                .equals(script("return document.documentElement.clientWidth")));
        screenshot("ops-390.png");
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("console errors")
                .noneMatch(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue());
        System.out.printf("Operations view: node %d killed, seen down with under-replicated partitions after %d s,"
                + " all up and in sync again after %d s%n", controller, downSeen.toSeconds(),
                Duration.between(started, Instant.now()).toSeconds());
    }

    // The page replaces its rows every second: each read below is one script, so no element goes stale under it.

    private List<String> brokerRows() {
        return ((List<?>) script("return Array.from(document.querySelectorAll('#brokers tbody tr'))"
                + ".map(row => row.innerText)")).stream().map(row -> squeezed((String) row) + " ").toList();
    }

    /** The text of the row of a table whose {@code data-<key>} is {@code value}, or "" if there is none. */
    private String row(String table, String key, String value) {
        return squeezed((String) script("const row = document.querySelector(arguments[0]);"
                + " return row ? row.innerText : ''", "#" + table + " tr[data-" + key + "='" + value + "']"));
    }

    private static String squeezed(String text) {
        return text.trim().replaceAll("\\s+", " ");
    }

    private String text(String id) {
        return squeezed((String) script("return document.getElementById(arguments[0]).innerText", id));
    }

    private Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
