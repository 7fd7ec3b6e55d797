package io.weir.server.console;

import io.weir.server.config.Secret;
import io.weir.server.testing.RunningServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The web console in a real browser: Debian's Chromium, headless, driven through its chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}, which .ci/run installs), against a running server. The page loads
 * without console errors and shows the catalog; a continuous query typed into the editor shows rows and a chart
 * that grows; the stop button of the queries view stops it; closing the page stops its query; values holding HTML
 * are shown as text; a materialized view is charted as it changes; with users, one signs in.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TICKS = "CREATE STREAM ticks (id BIGINT, kind VARCHAR, ts TIMESTAMP(3),"
            + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'datagen', 'rows-per-second' = '200',"
            + " 'fields.id.kind' = 'sequence', 'fields.kind.kind' = 'enum', 'fields.kind.values' = 'a,b')";

    @TempDir
    Path dataDir;

    private WebDriver browser;

    @BeforeAll
    static void chromiumIsInstalled() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and its driver are not installed (Debian: apt-get install chromium chromium-driver); .ci/run installs them");
    }

    private WebDriver open(RunningServer server) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString())).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(WAIT);
        browser.get("http://127.0.0.1:" + server.port() + "/");
        return browser;
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static void run(RunningServer server, String... statements) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private WebElement element(String css) {
        return browser.findElement(By.cssSelector(css));
    }

    private void type(String sql) {
        WebElement editor = element("#sql");
        editor.clear();
        editor.sendKeys(sql);
        element("#run").click();
    }

    private int chartPoints(String chart) {
        List<WebElement> svg = browser.findElements(By.cssSelector(chart + " svg[data-points]"));
        return svg.isEmpty() ? 0 : Integer.parseInt(svg.get(0).getAttribute("data-points"));
    }

    private List<LogEntry> browserErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    @Test
    void thePageLoadsWithoutErrorsAndShowsTheCatalog() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            run(server, TICKS);
            open(server);
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#catalog details[data-name='ticks'] summary").isDisplayed());
            assertThat(element("#catalog details[data-name='ticks'] summary").getText()).contains("ticks").contains("datagen");
            element("#catalog details[data-name='ticks'] summary").click();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(element("#catalog details[data-name='ticks'] table").getText()).contains("id").contains("BIGINT")
                            .contains("kind").contains("VARCHAR"));
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#no-queries").isDisplayed());
            assertThat(element("#user-name").getText()).isEqualTo("authentication off");
            assertThat(browserErrors()).as("the browser's console errors").isEmpty();
        }
    }

    @Test
    void aContinuousQueryShowsRowsAndAGrowingChartAndTheQueriesViewStopsIt() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            run(server, TICKS);
            open(server);
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#run").isEnabled());
            type("SELECT STREAM TUMBLE_END(ts, INTERVAL '1' SECOND) AS window_end, COUNT(*) AS hits, SUM(id) AS total"
                    + " FROM ticks GROUP BY TUMBLE(ts, INTERVAL '1' SECOND)");

            await().atMost(WAIT).ignoreExceptions().until(() ->
                    browser.findElements(By.cssSelector("#result-rows tbody tr")).size() >= 1 && chartPoints("#result-chart") >= 1);
            assertThat(element("#result-rows thead").getText()).contains("window_end").contains("hits").contains("total");
            assertThat(new Select(element("#result-chart-x")).getFirstSelectedOption().getText()).isEqualTo("window_end");
            assertThat(new Select(element("#result-chart-y")).getFirstSelectedOption().getText()).isEqualTo("hits");
            int points = chartPoints("#result-chart");
            int rows = browser.findElements(By.cssSelector("#result-rows tbody tr")).size();
            await().atMost(WAIT).ignoreExceptions().until(() -> chartPoints("#result-chart") > points
                    && browser.findElements(By.cssSelector("#result-rows tbody tr")).size() > rows);
            assertThat(browser.findElements(By.cssSelector("#result-chart polyline"))).hasSize(1);

            assertThat(server.context().queries().list()).hasSize(1);
            String queryId = server.context().queries().list().get(0).id();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                WebElement stop = element("#queries-table button.stop-query[data-query-id='" + queryId + "']");
                assertThat(stop.isEnabled()).isTrue();
                stop.click();
            });
            await().atMost(WAIT).until(() -> server.context().queries().size() == 0);
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(element("#run-status").getText()).contains("was stopped"));
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#no-queries").isDisplayed());
        }
    }

    @Test
    void theEditorsStopButtonAndClosingThePageStopTheirQueries() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            run(server, TICKS);
            open(server);
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#run").isEnabled());
            type("SELECT STREAM id, kind FROM ticks");
            await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElements(By.cssSelector("#result-rows tbody tr")).size() > 5);
            assertThat(server.context().queries().size()).isEqualTo(1);
            element("#stop-run").click();
            await().atMost(WAIT).until(() -> server.context().queries().size() == 0);

            type("SELECT STREAM id, kind FROM ticks");
            await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElements(By.cssSelector("#result-rows tbody tr")).size() > 5);
            assertThat(server.context().queries().size()).isEqualTo(1);
            browser.get("about:blank");
            // well before the console's 30 s idle limit: the page said so as it closed
            await().atMost(Duration.ofSeconds(15)).until(() -> server.context().queries().size() == 0);
        }
    }

    @Test
    void valuesHoldingHtmlAreShownAsText() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            open(server);
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#run").isEnabled());
            String image = "<img src=x onerror=alert(1)>";
            String script = "</td><script>alert(2)</script>";
            type("SELECT '" + image + "' AS \"<b>html</b>\", '" + script + "' AS s");
            await().atMost(WAIT).ignoreExceptions().until(() -> browser.findElements(By.cssSelector("#result-rows tbody td")).size() == 2);
            List<WebElement> cells = browser.findElements(By.cssSelector("#result-rows tbody td"));
            assertThat(cells.get(0).getText()).isEqualTo(image);
            assertThat(cells.get(1).getText()).isEqualTo(script);
            assertThat(element("#result-rows thead th").getText()).isEqualTo("<b>html</b>");
            assertThat(browser.findElements(By.cssSelector("#result img, #result script, #result b"))).isEmpty();
            assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        }
    }

    @Test
    void aMaterializedViewIsChartedAsItChanges() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir)) {
            run(server, TICKS, "CREATE MATERIALIZED VIEW per_second AS SELECT window_start, window_end, kind, COUNT(*) AS n"
                    + " FROM TABLE(TUMBLE(TABLE ticks, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY window_start, window_end, kind");
            open(server);
            await().atMost(WAIT).ignoreExceptions().until(() ->
                    !browser.findElements(By.cssSelector("#view-name option[value='per_second']")).isEmpty());
            new Select(element("#view-name")).selectByValue("per_second");
            await().atMost(WAIT).ignoreExceptions().until(() -> chartPoints("#view-chart") >= 1);
            new Select(element("#view-chart-series")).selectByVisibleText("kind");
            int points = chartPoints("#view-chart");
            await().atMost(WAIT).ignoreExceptions().until(() -> chartPoints("#view-chart") > points);
            assertThat(browser.findElements(By.cssSelector("#view-chart polyline"))).hasSize(2);
            assertThat(element("#view-table").getText()).contains("window_end").contains("kind");
            assertThat(browserErrors()).as("the browser's console errors").isEmpty();
        }
    }

    @Test
    void withUsersOneSignsInAndRunsAsThatUser() throws Exception {
        try (RunningServer server = RunningServer.start(dataDir, builder -> builder.adminPassword(Optional.of(new Secret("s3cret-pass"))))) {
            open(server);
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#sign-in-form").isDisplayed());
            assertThat(element("#app").isDisplayed()).isFalse();
            assertThat(browserErrors()).as("asking whether to sign in is no error").isEmpty();

            element("#sign-in-user").sendKeys("admin");
            element("#sign-in-password").sendKeys("wrong");
            element("#sign-in-button").click();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(element("#sign-in-error").getText()).containsIgnoringCase("password authentication failed"));
            assertThat(element("#app").isDisplayed()).isFalse();

            element("#sign-in-password").clear();
            element("#sign-in-password").sendKeys("s3cret-pass");
            element("#sign-in-button").click();
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#app").isDisplayed());
            assertThat(element("#user-name").getText()).isEqualTo("signed in as admin");
            type("SHOW USERS"); // only an admin sees every user
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
                    assertThat(element("#result-rows tbody").getText()).startsWith("admin"));

            browser.navigate().refresh(); // still signed in, in this tab
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#app").isDisplayed());
            element("#sign-out").click();
            await().atMost(WAIT).ignoreExceptions().until(() -> element("#sign-in-form").isDisplayed());
        }
    }
}
