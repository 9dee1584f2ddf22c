package io.dl4jdebug.ui;

import io.dl4jdebug.diagnose.Diagnosis;
import io.dl4jdebug.diagnose.Finding;
import io.dl4jdebug.diagnose.Incident;
import io.dl4jdebug.diagnose.Remedy;
import io.dl4jdebug.diagnose.Severity;
import io.dl4jdebug.diagnose.Symptom;
import io.dl4jdebug.diagnose.SymptomGroup;
import io.dl4jdebug.diagnose.Verification;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Debug page in a real headless Chromium (Debian's chromium + chromium-driver, installed by
 * scripts/setup-os.sh): trains a broken run (NaN in a layer named like an HTML injection) with StatsListener and the
 * sink on one storage, opens the page, waits for the incident cards and the charts, checks the incidents come in the
 * diagnosis' order with the raw findings folded, their content and that the layer name renders as text, checks a live
 * update, saves a screenshot to target/debug-page.png; that a verified diagnosis published later replaces the earlier
 * one live (badge with the losses, re-rooted cause first); and that a session without a stored diagnosis (a file from
 * before diagnoses) shows the findings table open as before. Skipped only when /usr/bin/chromium is absent.
 */
@Tag("browser")
class DebugPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OLD_SESSION = "file-before-diagnoses";

    private static UiServer ui;
    private static StatsListener stats;
    private static StatsStorageSink sink;
    private static InMemoryStatsStorage storage;
    private static io.dl4jdebug.listener.DebugSuite suite;
    private static ChromeDriver driver;
    private static Path profile;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM), "browser test skipped: /usr/bin/chromium is absent (install with "
                + "scripts/setup-os.sh or apt-get install -y chromium chromium-driver)");
        if (!Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("/usr/bin/chromium is installed but /usr/bin/chromedriver is not: run "
                    + "scripts/setup-os.sh or apt-get install -y chromium-driver");
        }
        ui = UiServer.start();
        storage = new InMemoryStatsStorage();
        ui.server().attach(storage);
        MultiLayerNetwork net = UiRuns.broken();
        stats = new StatsListener(storage, 5);
        net.setListeners(stats);
        sink = StatsStorageSink.builder(storage).sameIdsAs(stats).build();
        suite = UiRuns.train(net, sink, 2, UiRuns.CORRUPT_BATCH);
        suite.close(); // publishes the final diagnosis

        // A session as a file from before diagnoses holds it: findings, no diagnosis record.
        InMemoryStatsStorage old = new InMemoryStatsStorage();
        ui.server().attach(old);
        StatsStorageSink oldSink = StatsStorageSink.builder(old).sessionId(OLD_SESSION).workerId("w0").build();
        oldSink.onFinding(Finding.builder(Symptom.DEAD_UNITS, Severity.WARN, "dead units in " + UiRuns.XSS_LAYER)
                .layer(UiRuns.XSS_LAYER).firstIteration(20).build());
        oldSink.onFinding(Finding.builder(Symptom.NON_FINITE, Severity.ERROR, "NaN in h0").layer("h0")
                .firstIteration(11).build());

        profile = Files.createTempDirectory("dl4j-debug-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1400,2000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 2000));
    }

    @AfterAll
    static void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (ui != null) {
            ui.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void debugPageRendersFindingsChartsAndEscapesLayerNames() throws IOException {
        driver.get(ui.base() + "/debug?session=" + UiServer.enc(stats.getSessionID()));
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> rows("#incidentCards .d4d-incident").size() > 0 && chartPoints("gradientHeatmap") > 0
                && chartPoints("unitHealth") > 0 && chartPoints("loss") > 0);

        // Incidents: the diagnosis' order, root cause first, loud ones as cards; the raw findings are folded.
        List<Incident> loud = suite.diagnosis().loud();
        assertThat(loud).isNotEmpty();
        List<WebElement> cards = rows("#incidentCards .d4d-incident");
        assertThat(cards.stream().map(c -> c.getDomAttribute("data-symptom")))
                .containsExactlyElementsOf(loud.stream().map(i -> i.symptom().name()).toList());
        WebElement root = cards.get(0);
        Incident rootCause = loud.get(0);
        assertThat(root.findElement(By.className("d4d-incident-title")).getText())
                .isEqualTo("#1 " + rootCause.symptom().name());
        assertThat(root.findElement(By.className("d4d-root")).getText())
                .isEqualTo("Root cause: " + rootCause.root().worst().message());
        assertThat(root.findElement(By.cssSelector(".d4d-incident-head code.d4d-layer")).getText())
                .isEqualTo(UiRuns.XSS_LAYER); // the injected name is text
        assertThat(root.findElements(By.cssSelector(".d4d-fix li")).stream().map(WebElement::getText))
                .containsExactlyElementsOf(rootCause.fix());
        assertThat(root.findElement(By.className("d4d-badge-untried")).getText()).isEqualTo("not tried on a copy");
        assertThat(root.findElements(By.cssSelector(".d4d-explains li")).stream().map(WebElement::getText))
                .containsExactlyElementsOf(rootCause.consequences().stream().map(SymptomGroup::summary).toList());
        WebElement details = driver.findElement(By.id("findingsDetails"));
        assertThat(details.getDomProperty("open")).isEqualTo("false");
        assertThat(driver.findElement(By.id("findingsTable")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("findingsTitle")).getText())
                .isEqualTo("Raw findings and dismissed findings");

        Path target = Path.of("target", "debug-page.png");
        Files.createDirectories(target.getParent());
        byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(target, png);
        assertThat(png.length).isGreaterThan(10_000);
        String refresh = System.getProperty("dl4jdebug.screenshot");
        if (refresh != null) {
            Files.copy(target, Path.of(refresh), StandardCopyOption.REPLACE_EXISTING);
        }

        // Unfolded, the raw findings: most severe first, layer names as text.
        details.findElement(By.tagName("summary")).click();
        wait.until(d -> driver.findElement(By.id("findingsTable")).isDisplayed());
        List<WebElement> rows = rows("#findingsTable tbody tr");
        List<WebElement> first = rows.get(0).findElements(By.tagName("td"));
        assertThat(first.get(0).getText()).isEqualTo("ERROR");
        assertThat(first.get(1).getText()).isEqualTo("NON_FINITE");
        assertThat(first.get(2).getText()).isEqualTo("NUMERICAL");
        assertThat(first.get(3).getText()).isEqualTo(UiRuns.XSS_LAYER);
        assertThat(first.get(5).getText()).contains("first non-finite value at iteration");
        assertThat(rows.stream().map(r -> r.findElements(By.tagName("td")).get(1).getText()))
                .contains("VANISHING_GRADIENT");
        assertThat(rows.get(rows.size() - 1).findElements(By.tagName("td")).get(0).getText()).isEqualTo("WARN");

        // The injected name is text everywhere: no <img> element, no alert.
        assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        // Non-finite banner names layer, pass and iteration.
        WebElement banner = driver.findElement(By.id("nonFiniteBanner"));
        assertThat(banner.isDisplayed()).isTrue();
        assertThat(banner.getText()).contains("iteration " + suite.firstNonFinite().orElseThrow().iteration() + " ").contains("activation pass").contains(UiRuns.XSS_LAYER);

        // Charts hold the stored data.
        assertThat(js("return dl4jDebug.charts.gradientHeatmap.options.scales.y.labels"))
                .isEqualTo(List.of("h0", UiRuns.XSS_LAYER, "out"));
        assertThat(js("return dl4jDebug.charts.gradientHeatmap.data.datasets[0].data.filter(p => p.v === 'NaN')"
                + ".length")).asString().isNotEqualTo("0");
        assertThat(js("var d = dl4jDebug.charts.updateRatio.data.datasets; return d[d.length - 1].data[0].y"))
                .isEqualTo(1e-3);
        assertThat(js("return dl4jDebug.charts.unitHealth.data.labels")).isEqualTo(List.of("h0", UiRuns.XSS_LAYER));
        assertThat(js("return dl4jDebug.charts.loss.data.datasets.map(d => d.label)"))
                .isEqualTo(List.of("train", "validation"));
        assertThat(driver.findElement(By.id("fittingVerdict")).getText()).startsWith("Epoch 1: ");
        assertThat(rows("#checklistTable tbody tr")).hasSize(3);
        assertThat(rows("#checklistTable tbody tr").get(1).getText()).contains("WARN").contains("loss.init");

        // Session and worker selectors, links to DL4J's pages.
        assertThat(driver.findElement(By.cssSelector("#sessionSelect option:checked")).getDomProperty("value"))
                .isEqualTo(stats.getSessionID());
        assertThat(driver.findElement(By.cssSelector("#workerSelect option:checked")).getDomProperty("value"))
                .isEqualTo(stats.getWorkerID());
        assertThat(driver.findElement(By.id("navOverview")).getDomProperty("href")).endsWith("/train/overview");

        // Live: a new finding shows up without reloading.
        sink.onFinding(Finding.builder(Symptom.LEARNING_RATE_TOO_HIGH, Severity.WARN,
                "update:parameter ratio of out/W is 0.5, far above 1e-3").layer("out").parameter("W")
                .firstIteration(30).evidence("ratio", 0.5).build());
        // (read in one script: the page replaces the rows when it redraws)
        wait.until(d -> String.valueOf(js("return document.querySelector('#findingsTable tbody').textContent"))
                .contains("LEARNING_RATE_TOO_HIGH"));

        // The Overview link selects the same session in DL4J's own UI.
        driver.findElement(By.id("navOverview")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/train/overview"));
        assertThat(ui.get("/train/sessions/current").body()).isEqualTo(stats.getSessionID());
    }

    @Test
    void aVerifiedDiagnosisReplacesTheEarlierOneLive() {
        // The suite's diagnosis of the broken run, stored in a session of its own, then the same diagnosis with the
        // first incident's fix tried on a copy, as DebugSuite.publish(Diagnosis) hands it over after FixVerifier.
        Diagnosis before = suite.diagnosis();
        StatsStorageSink own = StatsStorageSink.builder(storage).sessionId("verified-" + System.nanoTime()).build();
        own.onDiagnosis(before);
        driver.get(ui.base() + "/debug?session=" + UiServer.enc(own.sessionId()));
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> rows("#incidentCards .d4d-incident").size() > 0);
        assertThat(rows("#incidentCards .d4d-badge-untried")).isNotEmpty();

        Remedy lowerRate = new Remedy(Remedy.Kind.SCALE_LEARNING_RATE, List.of(), 0.1, "",
                ".updater(new Sgd(0.005)) instead of new Sgd(0.05)");
        Verification trial = new Verification(lowerRate, true, 60, 2.303, Double.NaN, 2.303, 0.94,
                List.of(Symptom.NON_FINITE), List.of(), new Verification.HeldOut(Verification.Metric.ACCURACY, 128,
                "held back", List.of(0.1, 0.1, 0.1), 0.71, 0.0, 0.02), 1.5);
        Diagnosis verified = before.withVerifications(Map.of(1, trial));
        own.onDiagnosis(verified);
        wait.until(d -> !rows("#incidentCards .d4d-badge-verified").isEmpty());
        WebElement root = rows("#incidentCards .d4d-incident").get(0);
        Incident expected = verified.incidents().get(0);
        assertThat(root.getDomAttribute("data-symptom")).isEqualTo(expected.symptom().name());
        assertThat(root.findElement(By.className("d4d-badge-verified")).getText())
                .isEqualTo("verified on a copy: held-out accuracy 0.71 vs 0.1 unchanged (needed a gain > 0.02) after 60 "
                        + "iterations");
        assertThat(root.findElement(By.className("d4d-verification")).getText()).isEqualTo(trial.summary());
        assertThat(root.findElements(By.cssSelector(".d4d-explains li")).stream().map(WebElement::getText))
                .containsExactlyElementsOf(expected.consequences().stream().map(SymptomGroup::summary).toList());
        assertThat(rows("#incidentCards .d4d-incident").stream().map(c -> c.getDomAttribute("data-symptom")))
                .containsExactlyElementsOf(verified.loud().stream().map(i -> i.symptom().name()).toList());
        assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
    }

    @Test
    void withoutAStoredDiagnosisThePageShowsTheFindingsAsBefore() {
        driver.get(ui.base() + "/debug?session=" + UiServer.enc(OLD_SESSION));
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> rows("#findingsTable tbody tr").size() == 2 && driver.findElement(By.id("findingsTable"))
                .isDisplayed());
        assertThat(driver.findElement(By.id("incidentsBox")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("findingsDetails")).getDomProperty("open")).isEqualTo("true");
        assertThat(driver.findElement(By.id("findingsTitle")).getText()).isEqualTo("Findings");
        List<WebElement> rows = rows("#findingsTable tbody tr");
        assertThat(rows.get(0).findElements(By.tagName("td")).get(1).getText()).isEqualTo("NON_FINITE");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(3).getText()).isEqualTo(UiRuns.XSS_LAYER);
        assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
    }

    @Test
    void aSessionOnlyStatsListenerRecordedShowsItsDiagnosisAndTheRecordedBox() {
        InMemoryStatsStorage recorded = new InMemoryStatsStorage();
        ui.server().attach(recorded);
        MultiLayerNetwork net = UiRuns.net("h1", new org.nd4j.linalg.learning.config.Adam(0.5), 0,
                org.nd4j.linalg.activations.Activation.RELU);
        StatsListener only = new StatsListener(recorded, 5);
        net.setListeners(only);
        net.fit(UiRuns.batches(-1), 2);

        driver.get(ui.base() + "/debug?session=" + UiServer.enc(only.getSessionID()));
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(d -> rows("#incidentCards .d4d-incident").size() > 0
                && driver.findElement(By.id("recordedBox")).isDisplayed());
        assertThat(rows("#incidentCards .d4d-incident").get(0).getDomAttribute("data-symptom"))
                .isEqualTo("LEARNING_RATE_TOO_HIGH");
        assertThat(driver.findElement(By.id("recordedSource")).getText())
                .startsWith("diagnosed from DL4J's StatsListener statistics").contains("one every 5 iterations");
        assertThat(rows("#recordedTable tbody tr")).isNotEmpty();
        assertThat(rows("#recordedNeeds li")).hasSize(io.dl4jdebug.ui.recorded.RecordedDiagnosis.NEEDS_DL4J_DEBUG
                .size());

        // a session with dl4j-debug's own records has no such box
        driver.get(ui.base() + "/debug?session=" + UiServer.enc(stats.getSessionID()));
        wait.until(d -> rows("#incidentCards .d4d-incident").size() > 0);
        assertThat(driver.findElement(By.id("recordedBox")).isDisplayed()).isFalse();
        ui.server().detach(recorded);
    }

    private static List<WebElement> rows(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    private static long chartPoints(String chart) {
        Object n = js("var c = window.dl4jDebug && dl4jDebug.charts['" + chart + "']; "
                + "return c ? c.data.datasets.reduce((a, d) => a + d.data.length, 0) : 0");
        return ((Number) n).longValue();
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

}
