package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A platform admin gives a team created through the API its domains from the Domains page, opened
 * from the navigation: the empty state first, then an added wildcard, then a pattern overlapping
 * another team's refused on the field while the stored list stays as it was, then a host added and
 * removed; a member then reads
 * the list without the form. Screenshots land in target/screenshots/domains.
 */
class DomainsBrowserTest {
    private static final String TEAM = "shop";
    private static final String RIVAL = "rival";
    private static final String VIEWER_PASSWORD = "a-long-enough-password";
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("domains");

    private String stored() throws Exception {
        var patterns = new java.util.ArrayList<String>();
        for (var d : fixture.cluster.api("GET", "/api/v1/teams/" + TEAM + "/domains", null, 200).path("domains")) {
            patterns.add(d.path("pattern").asString());
        }
        return patterns.toString();
    }

    private Object field(String property) {
        return fixture.browser.js("return arguments[0][arguments[1]];", fixture.browser.driver.findElement(By.id("domain-pattern")), property);
    }

    private void openTeam(String team) {
        fixture.browser.click(By.id("domains-team"));
        fixture.browser.pickItem("vaadin-combo-box-item", team);
        fixture.browser.waitForVaadin();
    }

    @Test
    void anAdminAddsADomainAndSeesAnOverlapRefused() throws Exception {
        try {
            fixture.cluster.api("POST", "/api/v1/teams", "{\"name\":\"" + TEAM + "\"}", 201);
            fixture.cluster.api("POST", "/api/v1/teams", "{\"name\":\"" + RIVAL + "\"}", 201);
            fixture.cluster.api("PUT", "/api/v1/teams/" + RIVAL + "/domains", "{\"domains\":[\"api.rival.example.com\"]}", 200);
            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            fixture.browser.navigate("Domains", "domains-team");
            openTeam(TEAM);
            fixture.browser.wait.until(d -> fixture.browser.text(By.id("domains-empty")).startsWith("Team shop holds no domains yet."));
            assertThat(fixture.browser.text(By.id("domains-empty"))).isEqualTo("Team shop holds no domains yet. Domains are the host"
                    + " names its apps may serve through berth.yaml's routes, and only a platform admin can add them: add the first one above.");
            fixture.browser.screenshot("domains-empty");

            fixture.browser.type(By.cssSelector("#domain-pattern input"), "*.shop.example.com");
            fixture.browser.click(By.id("add-domain"));
            fixture.browser.waitForRow("domains-grid", 0, "*.shop.example.com");
            assertThat(stored()).isEqualTo("[*.shop.example.com]");
            fixture.browser.wait.until(d -> d.findElements(By.tagName("vaadin-notification-card")).stream()
                    .map(WebElement::getText).anyMatch(t -> t.contains("Domain *.shop.example.com added to team shop")));
            assertThat(fixture.browser.driver.findElement(By.id("domains-empty")).isDisplayed()).isFalse();
            fixture.browser.screenshot("domains-added");

            fixture.browser.type(By.cssSelector("#domain-pattern input"), "*.rival.example.com");
            fixture.browser.click(By.id("add-domain"));
            fixture.browser.wait.until(d -> Boolean.TRUE.equals(field("invalid")));
            assertThat(field("errorMessage")).isEqualTo("'*.rival.example.com' overlaps 'api.rival.example.com', which team rival"
                    + " holds; a host belongs to one team");
            assertThat(stored()).isEqualTo("[*.shop.example.com]");
            fixture.browser.screenshot("domains-overlap-refused");

            // Added and removed again: the row and the stored entry go.
            fixture.browser.type(By.cssSelector("#domain-pattern input"), "shop.example.net");
            fixture.browser.click(By.id("add-domain"));
            fixture.browser.waitForRow("domains-grid", 0, "shop.example.net");
            assertThat(stored()).isEqualTo("[*.shop.example.com, shop.example.net]");
            fixture.browser.click(By.id("remove-shop.example.net"));
            fixture.browser.wait.until(d -> fixture.browser.gridRows("domains-grid").stream().noneMatch(r -> r.get(0).equals("shop.example.net")));
            assertThat(stored()).isEqualTo("[*.shop.example.com]");

            // A member reads the list, without the form.
            fixture.cluster.api("POST", "/api/v1/users", "{\"username\":\"shop-viewer\",\"password\":\"" + VIEWER_PASSWORD + "\"}", 201);
            fixture.cluster.api("POST", "/api/v1/teams/" + TEAM + "/members", "{\"username\":\"shop-viewer\",\"role\":\"VIEWER\"}", 201);
            fixture.browser.driver.manage().deleteAllCookies();
            fixture.browser.driver.get(fixture.cluster.baseUrl + "/login");
            fixture.browser.signIn("shop-viewer", VIEWER_PASSWORD);
            fixture.browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            fixture.browser.navigate("Domains", "domains-team");
            fixture.browser.waitForRow("domains-grid", 0, "*.shop.example.com");
            assertThat(fixture.browser.driver.findElements(By.id("domain-pattern"))).allMatch(e -> !e.isDisplayed());
            assertThat(fixture.browser.driver.findElements(By.xpath("//vaadin-button[normalize-space(.)='Remove']"))).isEmpty();
            fixture.browser.screenshot("domains-member");
        } catch (AssertionError | RuntimeException e) {
            fixture.browser.screenshot("failure");
            throw e;
        }
    }
}
