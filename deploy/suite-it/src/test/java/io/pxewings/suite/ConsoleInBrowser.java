package io.pxewings.suite;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (Debian's headless Chromium, driven by Debian's chromedriver
 * through Selenium), on a suite that {@code ./wings up} started: every page reads the services'
 * own APIs through the console. With 10,000 machines imported into a site of their own, it
 * filters and pages the list (and prints how long a render and a filter change took), starts a
 * provision of a machine by bulk selection, watches that machine's run and timeline live, cancels
 * the run from the machine's page, pauses and resumes the event stream without losing a fact,
 * and uploads and publishes a signed image, resuming an upload that an earlier page left half done. Screenshots of each page go to {@code target/console/}.
 */
final class ConsoleInBrowser {

    static final Path SHOTS = Path.of("target/console").toAbsolutePath();
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String BIG_SITE = "console-10k";
    static final int MACHINES = 10_000;

    private final Map<String, Integer> ports;
    private final Path home;
    private final String machineId;
    private final String hostname;
    private WebDriver browser;
    private WebDriverWait wait;
    private String base;

    ConsoleInBrowser(Map<String, Integer> ports, Path home, String machineId, String hostname) {
        this.ports = ports;
        this.home = home;
        this.machineId = machineId;
        this.hostname = hostname;
    }

    void run() throws Exception {
        importMachines();
        browser = chromium();
        wait = new WebDriverWait(browser, WAIT);
        base = "http://127.0.0.1:" + ports.get("WINGS_CONSOLE_PORT") + "/";
        try {
            sites();
            machines();
            provisionAndCancel();
            events();
            images();
            phone();
        } finally {
            browser.quit();
        }
    }

    /** Debian's Chromium, headless, through Debian's chromedriver: nothing is downloaded. */
    static WebDriver chromium() throws java.io.IOException {
        Files.createDirectories(SHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // As root in a test there is no user namespace for Chromium's sandbox; the pages are our own.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
        ChromeDriverService driver = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        return new ChromeDriver(driver, options);
    }

    static void shot(WebDriver browser, String name) throws java.io.IOException {
        Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), SHOTS.resolve(name + ".png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** 10,000 machines in a site of their own, by inventory-service's CSV import (one request). */
    void importMachines() {
        StringBuilder csv = new StringBuilder("mac,site,hostname,labels\n");
        for (int i = 0; i < MACHINES; i++) {
            csv.append(String.format("02:c0:%02x:%02x:%02x:%02x,%s,c10k-%05d,rack=r%02d;role=%s%n", (i >> 24) & 0xff, (i >> 16) & 0xff,
                    (i >> 8) & 0xff, i & 0xff, BIG_SITE, i, i % 40, i % 3 == 0 ? "storage" : "compute"));
        }
        long t0 = System.nanoTime();
        io.restassured.path.json.JsonPath report = given().port(ports.get("WINGS_INVENTORY_PORT")).contentType("text/csv").body(csv.toString())
                .post("/api/v1/machines/import").then().statusCode(200).extract().jsonPath();
        // A second run of the test on the same WINGS_HOME finds them there already: unchanged, not failed.
        assertThat(report.getInt("created") + report.getInt("unchanged")).as("created or already there").isEqualTo(MACHINES);
        System.out.printf("[console] imported %d machines into site %s (%d were there already) in %.1f s%n", MACHINES, BIG_SITE,
                report.getInt("unchanged"), (System.nanoTime() - t0) / 1e9);
    }

    void sites() throws Exception {
        browser.get(base + "#/sites");
        WebElement big = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("article.site[data-site='" + BIG_SITE + "']")));
        // Imported machines are expected (not seen on the network yet): one segment of the state bar.
        assertThat(big.findElement(By.cssSelector(".bar")).getAttribute("aria-label")).isEqualTo(MACHINES + " expected");
        assertThat(big.getText()).contains(MACHINES + " machines");
        WebElement suite = browser.findElement(By.cssSelector("article.site[data-site='suite']"));
        // The orchestrator's registry: every service of the site, running.
        wait.until(d -> suite.findElements(By.cssSelector(".svc-running")).size() >= 7);
        assertThat(suite.getText()).contains("orchestrator", "inventory-service", "dhcp-service", "running of");
        shot("sites");
    }

    void machines() throws Exception {
        // A fresh load of the list, filtered to the big site: the page's first render.
        browser.get(base + "#/machines?site=" + BIG_SITE);
        browser.navigate().refresh();
        wait.until(d -> rows().size() == 50 && listMs() != null);
        double first = listMs();
        double load = ((Number) js("const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;")).doubleValue();
        assertThat(rows().get(0).getText()).contains("c10k-00000", BIG_SITE);
        // The next page, by cursor: the 51st machine.
        clear();
        browser.findElement(By.id("next-page")).click();
        wait.until(d -> listMs() != null && rows().get(0).getText().contains("c10k-00050"));
        // A filter change: labels and text together.
        clear();
        WebElement q = browser.findElement(By.name("q"));
        q.sendKeys("c10k-0004");
        browser.findElement(By.name("selector")).sendKeys("role=storage");
        browser.findElement(By.id("apply-filters")).click();
        wait.until(d -> listMs() != null);
        double filter = listMs();
        // c10k-00040..00049 are ten; i % 3 == 0 of them are storage: 42, 45, 48.
        wait.until(d -> rows().size() == 3);
        assertThat(rows().stream().map(WebElement::getText).map(t -> t.substring(0, t.indexOf(' ') < 0 ? t.length() : t.indexOf(' '))).toList())
                .allMatch(t -> t.startsWith("c10k-0004"));
        // What of it is inventory-service's answer: the same page, asked directly.
        long t0 = System.nanoTime();
        given().port(ports.get("WINGS_INVENTORY_PORT")).get("/api/v1/machines?site=" + BIG_SITE + "&sort=hostname&limit=50").then().statusCode(200);
        double api = (System.nanoTime() - t0) / 1e6;
        System.out.printf("[console] %d machines: the list's first render %.0f ms (page load %.0f ms), a filter change %.0f ms;"
                + " inventory-service answers the first page in %.0f ms%n", MACHINES, first, load, filter, api);
        shot("machines");
    }

    void provisionAndCancel() throws Exception {
        browser.get(base + "#/machines?q=" + hostname);
        wait.until(d -> rows().size() == 1);
        rows().get(0).findElement(By.cssSelector("input[type=checkbox]")).click();
        assertThat(browser.findElement(By.id("selected-count")).getText()).isEqualTo("1 selected");
        browser.findElement(By.name("image")).sendKeys("wings-test");
        browser.findElement(By.id("bulk-provision")).click();
        // The confirmation names how many machines.
        String question = wait.until(ExpectedConditions.alertIsPresent()).getText();
        assertThat(question).isEqualTo("Provision 1 machine with wings-test?");
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "1 provision runs started"));

        rows().get(0).findElement(By.cssSelector("a")).click();
        wait.until(ExpectedConditions.textToBe(By.id("machine-state"), "provisioning"));
        wait.until(ExpectedConditions.textToBe(By.id("run-status"), "running"));
        // The timeline has the run's facts, from the event log, live.
        wait.until(d -> !d.findElements(By.cssSelector("#timeline tr[data-type='io.pxewings.run.started.v1']")).isEmpty());
        shot("machine");

        browser.findElement(By.id("cancel-machine-run")).click();
        assertThat(wait.until(ExpectedConditions.alertIsPresent()).getText()).startsWith("Cancel the provision@");
        browser.switchTo().alert().accept();
        wait.until(d -> !d.findElements(By.cssSelector("#timeline tr[data-type='io.pxewings.run.cancelled.v1']")).isEmpty());
        wait.until(ExpectedConditions.textToBe(By.id("run-status"), "cancelled"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cancelled = (Map<String, Object>) js("return Object.values(window.wingsArrivals)"
                + ".find(a => a.type === 'io.pxewings.run.cancelled.v1');");
        long latency = ((Number) cancelled.get("at")).longValue() - java.time.Instant.parse((String) cancelled.get("time")).toEpochMilli();
        System.out.printf("[console] the run's cancellation reached the machine's live timeline %d ms after the orchestrator published it%n", latency);
        String runStatus = given().port(ports.get("WINGS_ORCHESTRATOR_PORT")).get("/api/v1/runs?machine=" + machineId + "&limit=1")
                .then().statusCode(200).extract().path("runs[0].status");
        assertThat(runStatus).isEqualTo("cancelled");
        // The boot decision: dhcp-service has had no DISCOVER from this machine, and says so.
        String mac = browser.findElement(By.cssSelector("#machine-page .mono")).getText();
        browser.findElement(By.cssSelector("#machine-page details.explain summary")).click();
        wait.until(ExpectedConditions.textToBe(By.id("explanation"), "dhcp: no DISCOVER from " + mac + " since this instance started"));

        // The run's page: its stages with durations; retried from its first stage, then cancelled there.
        browser.findElement(By.cssSelector("#current-run a")).click();
        wait.until(ExpectedConditions.textToBe(By.id("run-page-status"), "cancelled"));
        assertThat(browser.findElement(By.id("run-page")).getText()).contains("power-on", "await-agent");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("from"))).selectByVisibleText("power-on");
        browser.findElement(By.id("retry-run")).click();
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "run retried from power-on"));
        wait.until(ExpectedConditions.textToBe(By.id("run-page-status"), "running"));
        browser.findElement(By.id("cancel-run")).click();
        browser.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBe(By.id("run-page-status"), "cancelled"));
        shot("run");
    }

    /**
     * Paused, facts are held, not dropped. Past the bound of what a page holds (2 here, 5,000 by
     * default) the stream closes, and resuming reads the rest from the log after the last one held.
     */
    void events() throws Exception {
        browser.get(base + "#/events?hold=2");
        wait.until(ExpectedConditions.textToBe(By.id("pause"), "Pause"));
        browser.findElement(By.id("pause")).click();
        List<String> macs = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String mac = String.format("02:ce:%02x:%02x:%02x:%02x", (int) (Math.random() * 256), (int) (Math.random() * 256),
                    (int) (Math.random() * 256), (int) (Math.random() * 256));
            macs.add(mac);
            given().port(ports.get("WINGS_INVENTORY_PORT")).contentType("application/json")
                    .body("{\"site\":\"suite\",\"hostname\":\"paused-" + mac.replace(":", "") + "\",\"nics\":[{\"mac\":\"" + mac + "\",\"boot\":true}]}")
                    .post("/api/v1/machines").then().statusCode(201);
        }
        wait.until(ExpectedConditions.textToBe(By.id("pause"), "Resume (2 held, more in the log)"));
        assertThat(browser.findElements(By.cssSelector("#event-stream tbody tr"))).isEmpty();
        browser.findElement(By.id("pause")).click();
        // All three, the third read from the log after the stream had closed.
        wait.until(d -> d.findElements(By.xpath("//table[@id='event-stream']//tr[td[2][text()='machine.registered']]")).size() == 3);
        shot("events");
    }

    /**
     * The test image that {@code ./wings up} published, uploaded again under another name with its
     * signature. Half of it was sent before (by the API here, as a page that broke off would have),
     * and the page knows that upload: it resumes it, hashing locally what image-service holds.
     */
    void images() throws Exception {
        Path file = home.resolve("images/wings-test/image.raw.zst");
        Path signature = home.resolve("images/wings-test/image.raw.zst.minisig");
        byte[] bytes = Files.readAllBytes(file);
        int half = 8 << 20;
        assertThat(bytes.length).as("the test image is more than one chunk").isGreaterThan(half);
        int imagePort = ports.get("WINGS_IMAGE_PORT");
        String location = given().port(imagePort).post("/api/v1/blobs/uploads").then().statusCode(202).extract().header("Location");
        String upload = java.net.URI.create(location).getPath();
        given().port(imagePort).contentType("application/octet-stream").header("Content-Range", "0-" + (half - 1))
                .body(java.util.Arrays.copyOf(bytes, half)).patch(upload).then().statusCode(202);

        browser.get(base + "#/images");
        wait.until(d -> d.findElement(By.id("images-page")).getText().contains("wings-test:"));
        assertThat(browser.findElement(By.id("images-page")).getText()).contains("signed by");
        js("localStorage.setItem(arguments[0], arguments[1]); return null;", "wings-upload:image.raw.zst:" + bytes.length + ":"
                + Files.getLastModifiedTime(file).toMillis(), upload);
        browser.findElement(By.cssSelector("#upload summary")).click();
        browser.findElement(By.name("file")).sendKeys(file.toString());
        browser.findElement(By.name("signature")).sendKeys(signature.toString());
        String version = "v" + Long.toHexString(System.nanoTime());
        browser.findElement(By.name("name")).sendKeys("console-upload");
        browser.findElement(By.name("version")).sendKeys(version);
        browser.findElement(By.name("os")).sendKeys("wings-test");
        browser.findElement(By.id("upload-start")).click();
        wait.until(ExpectedConditions.textToBe(By.id("notice"), "published console-upload:" + version));
        assertThat(browser.findElement(By.id("upload-status")).getText()).isEqualTo("published console-upload:" + version);
        wait.until(d -> !d.findElements(By.cssSelector("#images-page tr[data-ref='console-upload:" + version + "']")).isEmpty());
        String row = browser.findElement(By.cssSelector("#images-page tr[data-ref='console-upload:" + version + "']")).getText();
        assertThat(row).contains("signed by", "raw.zst").doesNotContain("not deployable");
        // What was stored is the file, byte for byte: its digest, and the resumed upload is gone.
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        given().port(imagePort).get("/api/v1/images/console-upload/" + version).then().statusCode(200)
                .body("sha256", org.hamcrest.Matchers.equalTo(sha)).body("size", org.hamcrest.Matchers.equalTo(bytes.length));
        given().port(imagePort).get(upload).then().statusCode(404);
        assertThat(js("return Object.keys(localStorage).filter(k => k.startsWith('wings-upload:')).length;")).isEqualTo(0L);
        shot("images");
    }

    /**
     * On a phone's screen (390 by 844 CSS pixels): the pages fit its width (tables scroll inside
     * their own box), and the keyboard reaches the navigation first.
     */
    void phone() throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        for (String page : List.of("#/sites", "#/machines?site=" + BIG_SITE, "#/machine/" + machineId, "#/runs", "#/images", "#/events")) {
            browser.get(base + page);
            wait.until(d -> ((Number) js("return document.querySelectorAll('main section').length;")).intValue() == 1);
            Thread.sleep(300);
            long overflow = ((Number) js("return document.documentElement.scrollWidth - window.innerWidth;")).longValue();
            assertThat(overflow).as(page + ": wider than the screen by").isLessThanOrEqualTo(0);
        }
        browser.get(base + "#/machines?site=" + BIG_SITE);
        wait.until(d -> rows().size() == 50);
        shot("phone-machines");
        browser.findElement(By.tagName("body")).sendKeys(org.openqa.selenium.Keys.TAB);
        assertThat(js("return document.activeElement.closest('nav') !== null;")).as("the first tab stop is in the navigation").isEqualTo(true);
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("table.machines tbody tr"));
    }

    private void clear() {
        js("window.wingsLastListMs = null; return null;");
    }

    private Double listMs() {
        Object v = js("return window.wingsLastListMs;");
        return v == null ? null : ((Number) v).doubleValue();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void shot(String name) throws Exception {
        shot(browser, name);
    }
}
