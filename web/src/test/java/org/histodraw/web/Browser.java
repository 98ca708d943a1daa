package org.histodraw.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through chromedriver: one browser context (its own profile,
 * so its own cookies) per instance. Tests skip with a message where chromium is not installed
 * ({@code .ci/run} installs it).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;
    final String base;

    Browser(String base, Path profile) {
        this(base, profile, false);
    }

    /** unthrottled: frames as fast as the page can draw them (no 60 Hz cap), for frame-time benchmarks. */
    Browser(String base, Path profile, boolean unthrottled) {
        this.base = base;
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        // The page's console, read after every test: an uncaught error or console.error fails it.
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + profile);
        if (unthrottled) {
            options.addArguments("--disable-gpu-vsync", "--disable-frame-rate-limit");
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "browser tests skipped: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
    }

    void open(String hash) {
        driver.get(base + "/" + hash);
    }

    void login(String user, String password) {
        open("#/login");
        WebElement name = waitFor(d -> d.findElement(By.id("username")));
        name.sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("login")).click();
        waitFor(d -> d.findElement(By.id("logout")));
    }

    /** Opens a slice and waits until the slide is shown and its regions are loaded. */
    void openSlice(long sliceId) {
        open("#/slices/" + sliceId);
        waitFor(d -> Boolean.TRUE.equals(js("return !!(window.histodraw && window.histodraw.ready())")));
        waitFor(d -> js("return document.getElementById('save-status').textContent").toString().contains("saved"));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    <T> T waitFor(Function<WebDriver, T> condition) {
        return waitFor(Duration.ofSeconds(20), condition);
    }

    <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(25)).ignoring(RuntimeException.class).until(condition);
    }

    WebElement canvas() {
        return driver.findElement(By.cssSelector("canvas.paper-overlay"));
    }

    /** Screen offset from the overlay's centre of an image pixel, at the current view. */
    int[] screenOf(double x, double y) {
        waitForStillView();
        @SuppressWarnings("unchecked")
        java.util.List<Number> p = (java.util.List<Number>) js(
                "const o = window.histodraw.overlay; const v = o.scope.view.projectToView(new o.scope.Point(arguments[0], arguments[1]));"
                        + "return [v.x - o.canvas.clientWidth / 2, v.y - o.canvas.clientHeight / 2];", x, y);
        return new int[] {p.get(0).intValue(), p.get(1).intValue()};
    }

    /**
     * Waits until the slide stands still (OpenSeadragon's springs at their targets): a point converted
     * while the view still glides (after a save, a fit or a zoom) would be pressed on other tissue.
     */
    void waitForStillView() {
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            Object still = js("const v = window.histodraw && window.histodraw.viewer && window.histodraw.viewer.viewport;"
                    + "if (!v) return true;"
                    + "const a = v.getCenter(true), b = v.getCenter(false);"
                    + "return Math.abs(v.getZoom(true) - v.getZoom(false)) < 1e-9 && Math.abs(a.x - b.x) < 1e-9 && Math.abs(a.y - b.y) < 1e-9;");
            if (Boolean.TRUE.equals(still)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Clicks at image pixel (x, y). */
    void clickImage(double x, double y) {
        int[] s = screenOf(x, y);
        new Actions(driver).moveToElement(canvas(), s[0], s[1]).click().perform();
    }

    /** Presses at the first image point, drags through the others, releases at the last. */
    void dragImage(double[]... points) {
        Actions a = new Actions(driver);
        int[] s = screenOf(points[0][0], points[0][1]);
        a.moveToElement(canvas(), s[0], s[1]).clickAndHold();
        for (int i = 1; i < points.length; i++) {
            int[] t = screenOf(points[i][0], points[i][1]);
            a.moveToElement(canvas(), t[0], t[1]);
        }
        a.release().perform();
    }

    void press(CharSequence keys) {
        new Actions(driver).sendKeys(keys).perform();
    }

    /** A key with modifiers held (Actions.sendKeys would release them before the key). */
    void pressWith(CharSequence key, org.openqa.selenium.Keys... modifiers) {
        Actions a = new Actions(driver);
        for (org.openqa.selenium.Keys m : modifiers) {
            a.keyDown(m);
        }
        a.sendKeys(key);
        for (org.openqa.selenium.Keys m : modifiers) {
            a.keyUp(m);
        }
        a.perform();
    }

    void tool(String id) {
        driver.findElement(By.cssSelector("button[data-tool='" + id + "']")).click();
    }

    void chooseClass(String name) {
        driver.findElement(By.cssSelector("#classes li[data-class='" + name + "']")).click();
    }

    /** Waits until every edit is on the server. */
    void waitSaved() {
        waitFor(d -> "All changes saved".equals(js("return document.getElementById('save-status').textContent")));
    }

    long regionCount() {
        return ((Number) js("return window.histodraw.store.humanItems().length")).longValue();
    }

    /** Errors the page met (uncaught exceptions, failed promises): a test expects none. */
    String pageErrors() {
        return String.valueOf(js("return JSON.stringify(window.__errors || [])"));
    }

    /**
     * The one check every browser test ends with: fails on any uncaught error, unhandled promise
     * rejection or {@code console.error} the pages of this browser met since the last check (across
     * reloads and navigations: chromium's console log, not a page variable). Failed network requests
     * are not errors here (a refused upload is a tested answer); what the page does with them is.
     */
    void assertNoPageErrors() {
        java.util.List<String> errors = new java.util.ArrayList<>();
        for (org.openqa.selenium.logging.LogEntry e : driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER)) {
            String message = e.getMessage();
            boolean network = message.contains("Failed to load resource");
            if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue() && !network) {
                errors.add(message);
            }
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("the page reported errors in the browser console:\n  " + String.join("\n  ", errors));
        }
    }

    /** Saves what the browser shows to target/screenshots/NAME.png (kept as a test artefact). */
    void screenshot(String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Checks the console one last time ({@link #assertNoPageErrors}), then quits. */
    @Override
    public void close() {
        try {
            assertNoPageErrors();
        } finally {
            driver.quit();
        }
    }
}
