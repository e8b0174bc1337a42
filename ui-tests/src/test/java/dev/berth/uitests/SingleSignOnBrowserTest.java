package dev.berth.uitests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.identityprovider.TestIdentityProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Single sign-on in Chromium against a real OpenID provider (Spring Authorization Server on
 * loopback): a new person clicks "Sign in with Test IdP" on the sign-in page, signs in on the
 * provider's own page and lands on the dashboard as a new user, in the team their group's rule
 * gives; then the break-glass admin (passwords are off for everyone else) adds a rule on the
 * Single sign-on page, sees an empty group refused on the field, and deletes a rule. First, while
 * the provider's discovery is down, the button comes back to the sign-in page saying so; alice's
 * sign-out is audited.
 * Screenshots land in target/screenshots/sso.
 */
class SingleSignOnBrowserTest {
    private static final String PASSWORD = "provider-password";
    private static final TestIdentityProvider PROVIDER = TestIdentityProvider.start();
    @RegisterExtension
    static final ClusterAndBrowser fixture = new ClusterAndBrowser("sso", () -> new String[]{
            "--berth.sso.issuer-uri=" + PROVIDER.issuer,
            "--berth.sso.client-id=" + TestIdentityProvider.CLIENT_ID,
            "--berth.sso.client-secret=" + TestIdentityProvider.CLIENT_SECRET,
            "--berth.sso.display-name=Test IdP",
            "--berth.sso.local-passwords=false"});

    @AfterAll
    static void stopProvider() {
        PROVIDER.close();
    }

    @Test
    void aNewPersonSignsInThroughTheProviderAndAnAdminEditsTheRules() throws Exception {
        var browser = fixture.browser;
        var cluster = fixture.cluster;
        try {
            PROVIDER.registerClient(cluster.baseUrl + "/login/oauth2/code/sso");
            cluster.api("POST", "/api/v1/teams", "{\"name\":\"payments\"}", 201);
            cluster.api("POST", "/api/v1/sso/group-rules", "{\"group\":\"payments-devs\",\"team\":\"payments\",\"role\":\"DEPLOYER\"}", 201);
            PROVIDER.addUser("alice", PASSWORD, Set.of("payments-devs"));
            theSignInPageSaysWhenTheProviderIsDown(browser, cluster);

            browser.driver.get(cluster.baseUrl + "/login");
            var button = browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("sso-sign-in")));
            assertThat(button.getText()).isEqualTo("Sign in with Test IdP");
            browser.screenshot("sign-in-page");
            button.click();

            // The provider's own sign-in form.
            browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("username"))).sendKeys("alice");
            browser.driver.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.screenshot("provider-sign-in");
            browser.driver.findElement(By.id("password")).sendKeys(Keys.ENTER);

            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("teams-grid")));
            browser.waitForRow("teams-grid", 0, "payments");
            assertThat(browser.text(By.id("signed-in-user"))).isEqualTo("alice");
            assertThat(browser.gridRows("teams-grid")).contains(java.util.List.of("payments", "DEPLOYER", "2")); // alice and admin, who made it
            assertThat(browser.driver.findElements(By.id("change-password"))).as("no password to change")
                    .noneMatch(org.openqa.selenium.WebElement::isDisplayed);
            browser.screenshot("signed-in-as-alice");
            browser.click(By.id("sign-out"));

            // Passwords are off, but for the break-glass admin.
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("sso-sign-in")));
            var logouts = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.baseUrl + "/api/v1/audit?action=logout"))
                    .header("Authorization", "Bearer " + cluster.adminToken).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(logouts.body()).as("alice's sign-out is audited").contains("\"target\":\"user:alice\"");
            browser.signIn("admin", Cluster.ADMIN_PASSWORD);
            browser.navigate("Single sign-on", "rules-grid");
            browser.waitForRow("rules-grid", 0, "payments-devs");
            browser.type(By.cssSelector("#rule-group input"), "web-devs");
            browser.click(By.id("rule-team"));
            browser.pickItem("vaadin-combo-box-item", "acme");
            browser.click(By.id("add-rule"));
            browser.waitForRow("rules-grid", 0, "web-devs");
            assertThat(cluster.api("GET", "/api/v1/sso/group-rules", null, 200).toString()).contains("\"group\":\"web-devs\"")
                    .contains("\"team\":\"acme\"").contains("\"role\":\"VIEWER\"");
            browser.screenshot("rule-added");

            browser.click(By.id("add-rule"));
            browser.wait.until(d -> Boolean.TRUE.equals(browser.js("return arguments[0].invalid;",
                    d.findElement(By.id("rule-group")))));
            assertThat(browser.js("return arguments[0].errorMessage;", browser.driver.findElement(By.id("rule-group"))))
                    .isEqualTo("the group name is empty");
            browser.screenshot("empty-group-refused");

            long id = cluster.api("GET", "/api/v1/sso/group-rules", null, 200).path("rules").get(0).path("id").asLong();
            browser.click(By.id("delete-rule-" + id));
            browser.wait.until(d -> browser.gridRows("rules-grid").stream().noneMatch(r -> r.get(0).equals("payments-devs")));
            browser.screenshot("rule-deleted");
        } catch (AssertionError | RuntimeException e) {
            browser.screenshot("failure");
            throw e;
        }
    }

    /**
     * The provider's discovery answers 503: "Sign in with Test IdP" comes back to the sign-in page
     * saying why. Once it answers again, the platform asks again (at most every 10 s) and the
     * button reaches the provider.
     */
    private static void theSignInPageSaysWhenTheProviderIsDown(Browser browser, Cluster cluster) throws Exception {
        PROVIDER.setDiscoveryDown(true);
        browser.driver.get(cluster.baseUrl + "/login");
        browser.wait.until(ExpectedConditions.elementToBeClickable(By.id("sso-sign-in"))).click();
        var form = browser.wait.until(d -> {
            var f = d.findElement(By.tagName("vaadin-login-form"));
            return Boolean.TRUE.equals(browser.js("return arguments[0].error", f)) ? f : null;
        });
        assertThat(browser.driver.getCurrentUrl()).endsWith("/login?error");
        assertThat(browser.deepText(form)).contains("Sign-in failed").contains("Single sign-on is unavailable: the identity provider at "
                + PROVIDER.issuer + " cannot be reached: GET " + PROVIDER.issuer + "/.well-known/openid-configuration answered 503");
        browser.screenshot("provider-down");

        PROVIDER.setDiscoveryDown(false);
        new WebDriverWait(browser.driver, Duration.ofSeconds(40), Duration.ofSeconds(2))
                .until(d -> {
                    d.get(cluster.baseUrl + "/oauth2/authorization/sso");
                    return d.getCurrentUrl().startsWith(PROVIDER.issuer);
                });
    }
}
