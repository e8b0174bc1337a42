package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A platform admin allows a private range for a team created through the API, from the team's
 * Network section: the empty state first, then the saved range, then a refused range whose
 * sentence shows on the field while the stored list stays as it was; a member then sees the list
 * without the editor. Screenshots land in
 * target/screenshots/network.
 */
class NetworkBrowserTest {
    private static final String TEAM = "lab";
    private static final String VIEWER_PASSWORD = "a-long-enough-password";
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("network");

    private String stored() throws Exception {
        return fixture.cluster.api("GET", "/api/v1/teams/" + TEAM + "/network/egress-allow", null, 200).path("ranges").toString();
    }

    private Object editor(String property) {
        return fixture.browser.js("return arguments[0][arguments[1]];", fixture.browser.driver.findElement(By.id("egress-editor")), property);
    }

    @Test
    void anAdminAllowsARangeAndSeesARefusedOneExplained() throws Exception {
        try {
            fixture.cluster.api("POST", "/api/v1/teams", "{\"name\":\"" + TEAM + "\"}", 201);
            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            fixture.browser.waitForRow("teams-grid", 0, TEAM);
            fixture.browser.gridCell("teams-grid", 0, TEAM).click();
            fixture.browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("egress-editor")));
            fixture.browser.waitForVaadin();
            assertThat(fixture.browser.text(By.id("egress-empty"))).startsWith("No private ranges allowed: apps of this team reach only"
                    + " public addresses (egress: public) and their connects.");
            fixture.browser.screenshot("network-empty");

            fixture.browser.type(By.cssSelector("#egress-editor textarea"), "10.20.0.0/16\nFD00:1::/64");
            fixture.browser.click(By.id("save-egress"));
            fixture.browser.wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("egress-empty")));
            assertThat(stored()).isEqualTo("[\"10.20.0.0/16\",\"fd00:1::/64\"]");
            assertThat(editor("value")).isEqualTo("10.20.0.0/16\nfd00:1::/64");
            fixture.browser.wait.until(d -> d.findElements(By.tagName("vaadin-notification-card")).stream()
                    .map(WebElement::getText).anyMatch(t -> t.contains("Allowed ranges of team lab saved")));
            fixture.browser.screenshot("network-saved");

            fixture.browser.type(By.cssSelector("#egress-editor textarea"), "10.20.0.0/16\n10.30.0.1/16");
            fixture.browser.click(By.id("save-egress"));
            fixture.browser.wait.until(d -> Boolean.TRUE.equals(editor("invalid")));
            assertThat(editor("errorMessage")).isEqualTo("ranges[1] '10.30.0.1/16' has bits set past its /16 prefix;"
                    + " did you mean 10.30.0.0/16?");
            assertThat(stored()).isEqualTo("[\"10.20.0.0/16\",\"fd00:1::/64\"]");
            fixture.browser.screenshot("network-refused");

            // A member sees the list, without the editor.
            fixture.cluster.api("POST", "/api/v1/users", "{\"username\":\"lab-viewer\",\"password\":\"" + VIEWER_PASSWORD + "\"}", 201);
            fixture.cluster.api("POST", "/api/v1/teams/" + TEAM + "/members", "{\"username\":\"lab-viewer\",\"role\":\"VIEWER\"}", 201);
            fixture.browser.driver.manage().deleteAllCookies();
            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("lab-viewer", VIEWER_PASSWORD);
            fixture.browser.waitForRow("teams-grid", 0, TEAM);
            fixture.browser.gridCell("teams-grid", 0, TEAM).click();
            fixture.browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("egress-ranges")));
            fixture.browser.waitForVaadin();
            assertThat(fixture.browser.text(By.id("egress-ranges"))).contains("10.20.0.0/16").contains("fd00:1::/64");
            assertThat(fixture.browser.driver.findElements(By.id("egress-editor")))
                    .allMatch(e -> !e.isDisplayed());
            fixture.browser.screenshot("network-member");
        } catch (AssertionError | RuntimeException e) {
            fixture.browser.screenshot("failure");
            throw e;
        }
    }
}
