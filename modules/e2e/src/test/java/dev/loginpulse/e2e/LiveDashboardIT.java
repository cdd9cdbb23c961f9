package dev.loginpulse.e2e;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.loginpulse.generator.model.LoginFactory;
import dev.loginpulse.launcher.Pipeline;
import dev.loginpulse.launcher.Service;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a person sees after {@code ./run.sh}: the whole pipeline with the generator running, the page in real headless
 * Chromium. The map fills in within seconds and keeps changing, the generator's suspicious IP is flagged, and a state's
 * panel shows its device types, app versions and the suspicious IP among its IPs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveDashboardIT {

    private Pipeline pipeline;
    private ChromeDriver browser;

    @BeforeAll
    void start() {
        Chromium.requireInstalled();
        pipeline = Pipeline.start(PipelineSupport.options("live").env("PULSE_GENERATOR_RATE", "300"));
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
    void mapFillsInWithinSecondsOfOpeningThePageAndChangesLive() {
        browser.get(pipeline.url(Service.DASHBOARD).toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        wait.until(d -> coloured() >= 20);
        long first = total();
        assertThat(first).isPositive();
        wait.until(d -> total() > first);
        assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("live");
        assertThat(browser.findElements(By.cssSelector("#top10 tbody tr"))).hasSize(10);
    }

    @Test
    void theGeneratorsSuspiciousIpIsFlaggedLiveAndNoOtherIs() {
        browser.get(pipeline.url(Service.DASHBOARD).toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));

        // 5 % of 300 logins/s from one IP: past the alert threshold (100 per window) after about 7 s of traffic.
        List<String> flagged = wait.until(d -> {
            List<String> ips = flaggedIps();
            return ips.contains(LoginFactory.SUSPICIOUS_IP) ? ips : null;
        });
        assertThat(flagged).containsExactly(LoginFactory.SUSPICIOUS_IP);
    }

    @Test
    void theBusiestStatesPanelShowsItsDeviceTypesAndTheSuspiciousIpStandingOutAmongItsIps() {
        browser.get(pipeline.url(Service.DASHBOARD).toString());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        wait.until(d -> coloured() >= 20);

        // California has about 12 % of the logins (36/s) and the suspicious IP 5 % of each state's: in a bounded
        // summary of 64 IPs per pane, its count stays far above the error while the random IPs' stay below.
        browser.findElement(By.cssSelector("#map path[data-state='CA']")).click();
        wait.until(d -> browser.findElement(By.id("state-panel")).isDisplayed());
        // Until the last full window has more than 64 distinct IPs its counts are exact and every IP is listed: wait
        // for the bounded summary (the caption then gives the counts' error), then for the suspicious IP on top.
        List<String> ips = wait.until(d -> {
            List<String> rows = mixRows("ips");
            return ipsCaption().contains("±") && !rows.isEmpty()
                    && rows.get(0).startsWith(LoginFactory.SUSPICIOUS_IP + " ") ? rows : null;
        });
        assertThat(ips).as("no random IP stands out").hasSize(1);
        assertThat(mixRows("devices")).isNotEmpty().allSatisfy(row -> assertThat(row).matches("\\S+ [0-9,]+"));
        assertThat(mixRows("app_versions")).isNotEmpty();
    }

    /** The caption of the state panel's IP table. */
    private String ipsCaption() {
        return String.valueOf(browser.executeScript(
                "return document.querySelector(\"#state-panel table[data-list='ips'] caption\").textContent;"));
    }

    /** The rows of one of the state panel's mix tables, read in one script call (it is re-rendered each second). */
    private List<String> mixRows(String list) {
        Object rows = browser.executeScript("return Array.from(document.querySelectorAll("
                + "\"#state-panel table[data-list='" + list + "'] tbody tr\"))"
                + ".map(row => row.innerText.trim().replace(/\\s+/g, ' '));");
        return ((List<?>) rows).stream().map(String::valueOf).toList();
    }

    /**
     * The IPs of the top-IP panel's flagged rows, read in one script call: the panel is re-rendered with every update,
     * so elements found one call earlier may already be gone.
     */
    private List<String> flaggedIps() {
        Object ips = browser.executeScript("return Array.from(document.querySelectorAll('#top-ips tbody tr.flagged'))"
                + ".map(row => row.dataset.ip);");
        return ((List<?>) ips).stream().map(String::valueOf).toList();
    }

    /** States whose fill is a class colour, not the grey of zero logins. */
    private long coloured() {
        return browser.findElements(By.cssSelector("#map path[data-state]")).stream()
                .filter(path -> !"#e5e7eb".equals(path.getDomAttribute("fill"))).count();
    }

    private long total() {
        String text = browser.findElement(By.id("total-logins")).getText().replace(",", "").trim();
        return text.isEmpty() ? 0 : Long.parseLong(text);
    }
}
