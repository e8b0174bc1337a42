package dev.berth.uitests;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real cluster (platform, registry, agents on demand) and a headless browser for one test class:
 * started before its first test, closed after its last. Register it with
 * {@code @RegisterExtension static final ClusterAndBrowser fixture = new ClusterAndBrowser("name")};
 * screenshots land in target/screenshots/name.
 */
final class ClusterAndBrowser implements BeforeAllCallback, AfterAllCallback {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
    private final String screenshots;
    private final java.util.function.Supplier<String[]> platformArgs;
    Cluster cluster;
    Browser browser;

    /** @param platformArgs further {@code --property=value} arguments for the platform */
    ClusterAndBrowser(String screenshots, String... platformArgs) {
        this(screenshots, platformArgs.clone()::clone);
    }

    /** With more arguments for the platform, read when it starts (after other static fixtures of the test). */
    ClusterAndBrowser(String screenshots, java.util.function.Supplier<String[]> platformArgs) {
        this.screenshots = screenshots;
        this.platformArgs = platformArgs;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        // Chromium and its driver start while the platform does: neither needs the other yet.
        var browserReady = SideBySide.begin(() -> Browser.start(screenshots));
        try {
            cluster = Cluster.start(HEARTBEAT_TIMEOUT, platformArgs.get());
        } catch (Exception | Error e) {
            SideBySide.closeWhenDone(browserReady);
            throw e;
        }
        browser = SideBySide.result(browserReady);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (browser != null) browser.close();
        if (cluster != null) cluster.close();
    }
}
