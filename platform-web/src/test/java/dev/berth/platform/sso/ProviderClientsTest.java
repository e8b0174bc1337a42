package dev.berth.platform.sso;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.web.client.ResourceAccessException;

/** The sentence a sign-in ends with when the provider went quiet or away, found under Spring Security's wrapping. */
class ProviderClientsTest {
    private static final String ISSUER = "https://id.example.com";

    /** How Spring Security reports a failed token request: its error around the RestClient's around the I/O error. */
    private static OAuth2AuthenticationException wrapped(java.io.IOException io) {
        var rest = new ResourceAccessException("I/O error on POST request for \"" + ISSUER + "/token\": " + io.getMessage(), io);
        var error = new OAuth2Error("invalid_token_response", "An error occurred while attempting to retrieve the token", null);
        return new OAuth2AuthenticationException(error, new OAuth2AuthorizationException(error, rest));
    }

    @Test
    void anAnswerThatNeverCameSaysHowLongItWaited() {
        assertThat(ProviderClients.unreachable(wrapped(new HttpTimeoutException("request timed out")), ISSUER))
                .contains("the identity provider at https://id.example.com did not answer within 10 s");
    }

    @Test
    void aConnectionThatNeverOpenedSaysSo() {
        var refused = new ConnectException("HTTP connect timed out");
        refused.initCause(new HttpConnectTimeoutException("HTTP connect timed out"));
        assertThat(ProviderClients.unreachable(wrapped(refused), ISSUER))
                .contains("the identity provider at https://id.example.com did not accept a connection within 5 s");
        assertThat(ProviderClients.unreachable(wrapped(new ConnectException()), ISSUER))
                .contains("the identity provider at https://id.example.com cannot be reached: connection refused");
    }

    @Test
    void otherFailuresAreLeftAsTheyAre() {
        var refused = new OAuth2AuthenticationException(new OAuth2Error("invalid_grant", "the code expired", null));
        assertThat(ProviderClients.unreachable(refused, ISSUER)).isEmpty();
        assertThat(ProviderClients.unreachable(wrapped(new java.io.IOException("stream closed")), ISSUER)).isEmpty();
    }
}
