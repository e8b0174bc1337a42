package dev.berth.platform.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.identityprovider.TestIdentityProvider;
import dev.berth.platform.MutableClock;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Discovery at the first sign-in: a provider that is away is an error saying so, tried again after a pause. */
class IssuerRegistrationTest {
    private static SsoProperties properties(String issuer) {
        return new SsoProperties(URI.create(issuer), "berth", "secret", null, "Test IdP", null, null, null, null);
    }

    private static int closedPort() throws Exception {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aProviderThatIsDownIsAClearErrorNotACrashAndIsTriedAgainLater() throws Exception {
        var clock = new MutableClock();
        String issuer = "http://127.0.0.1:" + closedPort();
        var registration = new IssuerRegistration(properties(issuer), clock);
        assertThatThrownBy(registration::registration).isInstanceOf(IssuerRegistration.IssuerUnavailableException.class)
                .hasMessage("the identity provider at " + issuer + " cannot be reached: connection refused");

        try (var provider = TestIdentityProvider.start()) {
            var later = new IssuerRegistration(properties(provider.issuer), clock);
            assertThat(later.findByRegistrationId("sso").getProviderDetails().getAuthorizationUri())
                    .isEqualTo(provider.issuer + "/oauth2/authorize");
            assertThat(later.findByRegistrationId("other")).isNull();
            assertThat(later.registration().getClientSettings().isRequireProofKey()).isTrue();
        }
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsRefused() {
        try (var provider = TestIdentityProvider.start()) {
            // Same server, spelled differently (a trailing slash): OpenID Connect compares issuers exactly.
            String spelled = provider.issuer + "/";
            assertThatThrownBy(() -> new IssuerRegistration(properties(spelled), new MutableClock()).registration())
                    .hasMessageContaining("names the issuer '" + provider.issuer + "', not the configured");
        }
    }

    @Test
    void withoutAnIssuerLocalPasswordsCannotBeTurnedOff() {
        assertThatThrownBy(() -> new SsoProperties(null, null, null, null, null, null, null, false, null))
                .hasMessageContaining("berth.sso.local-passwords=false needs berth.sso.issuer-uri");
        assertThat(new SsoProperties(null, null, null, null, null, null, null, null, null).configured()).isFalse();
    }
}
