package dev.berth.uitests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driving the dashboard as a person would, with the waits Vaadin needs:
 * it renders asynchronously and partly in shadow DOM. Screenshots land in
 * {@code target/screenshots/NAME}, numbered in the order they were taken.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration FIRST_RENDER = Duration.ofSeconds(60);

    /** Text of an element including everything inside shadow roots; Vaadin renders much of its UI there. */
    static final String DEEP_TEXT = """
            const text = n => n.nodeType === Node.TEXT_NODE ? n.textContent
                : (n.shadowRoot ? text(n.shadowRoot) : '') + [...n.childNodes].map(text).join(' ');
            return text(arguments[0]).replace(/\\s+/g, ' ').trim();""";

    /** Cell texts of the rows a vaadin-grid shows, in order; hidden and not-yet-loaded rows are left out. */
    static final String GRID_ROWS = """
            const grid = document.getElementById(arguments[0]);
            if (!grid || !grid.shadowRoot) return [];
            return [...grid.shadowRoot.querySelectorAll('#items tr')]
                .filter(tr => !tr.hidden && tr.index !== undefined && tr.index < grid.size)
                .sort((a, b) => a.index - b.index)
                .map(tr => [...tr.querySelectorAll('td')].map(td => {
                    const slot = td.querySelector('slot');
                    const cell = slot ? slot.assignedElements()[0] : null;
                    return cell ? cell.textContent.replace(/\\s+/g, ' ').trim() : '';
                }))
                .filter(cells => cells.some(c => c !== ''));""";

    /** The cell element of the first shown row whose given column has the given text. */
    static final String GRID_CELL = """
            const [id, column, wanted] = arguments;
            const grid = document.getElementById(id);
            const rows = [...grid.shadowRoot.querySelectorAll('#items tr')]
                .filter(tr => !tr.hidden && tr.index !== undefined && tr.index < grid.size);
            for (const tr of rows) {
                const slot = tr.querySelectorAll('td')[column].querySelector('slot');
                const cell = slot ? slot.assignedElements()[0] : null;
                if (cell && cell.textContent.trim() === wanted) return cell;
            }
            return null;""";

    /** A visible element matching a selector anywhere, shadow roots included, with the given text. */
    static final String VISIBLE_WITH_TEXT = """
            const [selector, wanted] = arguments;
            const found = [];
            const walk = root => {
                root.querySelectorAll(selector).forEach(e => found.push(e));
                root.querySelectorAll('*').forEach(e => { if (e.shadowRoot) walk(e.shadowRoot); });
            };
            walk(document);
            // A select shows its value as a copy of the chosen item, and keeps the items of closed
            // dropdowns in the page: neither is a choice the user can click.
            const inOpenDropdown = e => {
                const owner = e.closest('vaadin-select, vaadin-combo-box');
                return !owner || (owner.opened && !owner.shadowRoot.querySelector('[opening]'));
            };
            return found.find(e => e.textContent.trim() === wanted && !e.closest('vaadin-select-value-button')
                && inOpenDropdown(e) && e.checkVisibility()
                && e.getBoundingClientRect().width > 0 && e.getBoundingClientRect().height > 0) || null;""";

    /** No pending server round trip in any Vaadin client on the page. */
    static final String VAADIN_IDLE = """
            const clients = window.Vaadin && window.Vaadin.Flow && window.Vaadin.Flow.clients;
            if (!clients) return false;
            return Object.values(clients).every(c => !c.isActive || !c.isActive());""";

    final ChromeDriver driver;
    final WebDriverWait wait;
    private final Path profile;
    private final Path screenshots;
    private int screenshot;
    private final List<String> severe = new ArrayList<>();

    private Browser(String name, BrowserCpuGroup group) throws IOException {
        profile = Files.createTempDirectory("berth-ui-chromium-");
        var options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The console is read to notice a page a network change broke (see HealingWait).
        var logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.SEVERE);
        options.setCapability("goog:loggingPrefs", logging);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1400,900");
        var service = new ChromeDriverService.Builder()
                .usingDriverExecutable(group == null ? CHROMEDRIVER.toFile() : confined(group).toFile())
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        wait = new HealingWait(WAIT);
        // Views re-render as the platform's state changes (the Apps list, an app's status): an
        // element found a moment ago may be replaced before it is read. A wait looks again.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        screenshots = Path.of("target", "screenshots", name);
        deleteTree(screenshots); // a failed earlier run must not leave pictures that look current
        Files.createDirectories(screenshots);
    }

    /** Starts a browser, or skips without one unless the run demands every runtime (BERTH_REQUIRE_RUNTIME=1). */
    static Browser start(String name) throws IOException {
        return start(name, null);
    }

    /**
     * A browser whose chromedriver, and so every Chromium process, runs in {@code group} (null: where
     * this JVM runs): for benchmarks, where browsers that would run on their users' own machines must
     * not take the platform's cores here.
     */
    static Browser start(String name, BrowserCpuGroup group) throws IOException {
        var missing = new ArrayList<String>();
        if (!Files.isExecutable(CHROMIUM)) missing.add(CHROMIUM.toString());
        if (!Files.isExecutable(CHROMEDRIVER)) missing.add(CHROMEDRIVER.toString());
        if (!missing.isEmpty()) {
            String message = "the browser test needs " + String.join(" and ", missing)
                    + "; install them with: apt-get install chromium chromium-driver";
            if ("1".equals(System.getenv("BERTH_REQUIRE_RUNTIME"))) fail(message);
            Assumptions.abort(message);
        }
        return new Browser(name, group);
    }

    /** A chromedriver that joins {@code group} first: Chromium and its renderers are born in it. */
    private Path confined(BrowserCpuGroup group) throws IOException {
        Path script = profile.resolve("chromedriver-confined");
        Files.writeString(script, "#!/bin/sh\necho $$ > " + group.procs() + " && exec " + CHROMEDRIVER + " \"$@\"\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    /** Fills the login form and submits it. */
    void login(String username, String password) {
        var user = firstRender().until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("vaadin-login-form input[name=username]")));
        user.clear();
        user.sendKeys(username);
        var secret = driver.findElement(By.cssSelector("vaadin-login-form input[name=password]"));
        secret.clear();
        secret.sendKeys(password, Keys.ENTER);
    }

    /**
     * Signs in and waits for the dashboard's frame: on a fresh platform whose agent is starting a
     * push's containers on the same cores, the first dashboard render has taken over 20 s in CI.
     */
    void signIn(String username, String password) {
        login(username, password);
        firstRender().until(d -> Boolean.TRUE.equals(js("return !!document.querySelector('vaadin-app-layout');")));
    }

    /**
     * The first page a fresh platform serves renders slowest: its Vaadin classes load while the
     * agent, just sent a push, pulls and starts containers on the same two cores. A timeout says
     * what the page showed instead.
     */
    private WebDriverWait firstRender() {
        var first = new HealingWait(FIRST_RENDER);
        first.withMessage(() -> "the page at " + driver.getCurrentUrl() + " showed: "
                + js("return document.body ? document.body.innerText.slice(0, 500) : '(no body)'")
                + "; the browser's errors: " + severeLogLines());
        return first;
    }

    /**
     * A wait that first reloads a page a host network change broke while it loaded. The agent gives
     * each container a veth with an address on this host, and Chromium, seeing the host's addresses
     * change, fails the requests in flight with {@code ERR_NETWORK_CHANGED}: a Vaadin page whose
     * script chunk was one of them never renders, and a navigation lands on Chromium's error page.
     * A person would reload; so does the test, and says so. A browser on another machine than the
     * agent (every real user) never sees this.
     */
    private final class HealingWait extends WebDriverWait {
        HealingWait(Duration timeout) {
            super(driver, timeout);
        }

        @Override
        public <V> V until(java.util.function.Function<? super org.openqa.selenium.WebDriver, ? extends V> condition) {
            return super.until(d -> {
                reloadIfBrokenByNetworkChange();
                return condition.apply(d);
            });
        }
    }

    /** A wait of its own length that, like {@link #wait}, reloads a page a network change broke. */
    WebDriverWait waitFor(Duration timeout) {
        var longer = new HealingWait(timeout);
        longer.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return longer;
    }

    private void reloadIfBrokenByNetworkChange() {
        String reason = null;
        for (var entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) severe.add(entry.getMessage());
            if (entry.getMessage().contains("Failed to fetch dynamically imported module")) reason = entry.getMessage();
        }
        if (reason == null && Boolean.TRUE.equals(js("return !!document.body && document.body.classList.contains('neterror')"))) {
            reason = "the browser's error page";
        }
        if (reason == null) return;
        System.err.println("Browser: reloading " + driver.getCurrentUrl() + " after a network change broke it: " + reason);
        driver.navigate().refresh();
    }

    /** The browser's severe console lines seen so far (the last few), for a failure's message. */
    private String severeLogLines() {
        for (var entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) severe.add(entry.getMessage());
        }
        return severe.isEmpty() ? "none" : String.join(" | ", severe.subList(Math.max(0, severe.size() - 5), severe.size()));
    }

    /** The browser's severe console lines seen since it started. */
    List<String> severeLines() {
        severeLogLines();
        return List.copyOf(severe);
    }

    void navigate(String label, String gridId) {
        var item = wait.until(d -> (WebElement) js(VISIBLE_WITH_TEXT, "vaadin-side-nav-item", label));
        item.click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id(gridId)));
        waitForVaadin();
    }

    void click(By locator) {
        waitForVaadin();
        wait.until(ExpectedConditions.elementToBeClickable(locator)).click();
        waitForVaadin();
    }

    void type(By input, String text) {
        var field = wait.until(ExpectedConditions.elementToBeClickable(input));
        field.clear();
        field.sendKeys(text);
    }

    /** Opens a vaadin-select and clicks the item with the label. */
    void choose(By select, String label) {
        click(select);
        pickItem("vaadin-select-item", label);
    }

    /**
     * Clicks a dropdown item where it is drawn. Dropdowns open in the browser's top layer, above
     * the grid that holds their select; ChromeDriver's element click still judges the item clipped
     * by that grid, so the click goes to the item's on-screen point instead.
     */
    void pickItem(String tag, String label) {
        var item = wait.until(d -> (WebElement) js(VISIBLE_WITH_TEXT, tag, label));
        @SuppressWarnings("unchecked")
        var center = (List<Number>) js("const r = arguments[0].getBoundingClientRect();"
                + " return [r.x + r.width / 2, r.y + r.height / 2];", item);
        new Actions(driver).moveToLocation(center.get(0).intValue(), center.get(1).intValue()).click().perform();
        waitForVaadin();
    }

    String selectedLabel(By select) {
        var element = wait.until(ExpectedConditions.presenceOfElementLocated(select));
        return (String) js("const v = arguments[0].querySelector('vaadin-select-value-button');"
                + " return v ? v.textContent.trim() : null;", element);
    }

    void waitForRow(String gridId, int column, String text) {
        waitForVaadin();
        wait.until(d -> gridRows(gridId).stream().anyMatch(r -> r.size() > column && r.get(column).equals(text)));
    }

    @SuppressWarnings("unchecked")
    List<List<String>> gridRows(String gridId) {
        return (List<List<String>>) js(GRID_ROWS, gridId);
    }

    /**
     * Opens the grid row whose {@code column} shows {@code text} and waits for the page it leads to
     * ({@code landmarkId}). A grid that refreshes its rows (the Apps list does, as replicas change)
     * may swallow a click or detach the clicked cell, so the click is repeated until the page shows.
     */
    void openRow(String gridId, int column, String text, String landmarkId) {
        waitForRow(gridId, column, text);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (driver.findElements(By.id(landmarkId)).isEmpty()) {
            if (System.nanoTime() > deadline) fail("row '" + text + "' of " + gridId + " did not open #" + landmarkId + " within 30 s");
            try {
                if (js(GRID_CELL, gridId, column, text) instanceof WebElement cell) cell.click();
            } catch (org.openqa.selenium.WebDriverException rerendered) {
                // stale or covered while the grid re-rendered: look again
            }
            try {
                new WebDriverWait(driver, Duration.ofSeconds(3)).until(ExpectedConditions.presenceOfElementLocated(By.id(landmarkId)));
            } catch (org.openqa.selenium.TimeoutException notYet) {
                // the click did not take: try again
            }
        }
        waitForVaadin();
    }

    WebElement gridCell(String gridId, int column, String text) {
        return wait.until(d -> (WebElement) js(GRID_CELL, gridId, column, text));
    }

    String text(By locator) {
        return wait.until(d -> deepText(d.findElement(locator)));
    }

    String deepText(WebElement element) {
        return (String) js(DEEP_TEXT, element);
    }

    void waitForVaadin() {
        wait.until(d -> Boolean.TRUE.equals(js(VAADIN_IDLE)));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void screenshot(String name) throws IOException {
        byte[] png = driver.getScreenshotAs(OutputType.BYTES);
        Files.write(screenshots.resolve(String.format("%02d-%s.png", ++screenshot, name)), png);
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        deleteTree(profile);
    }
}
