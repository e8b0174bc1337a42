package dev.berth.platform.sso;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * The HTTP clients of a sign-in's calls to the identity provider after discovery: the token
 * endpoint (authorization code to tokens), its key set (to verify the ID token) and user info.
 * Spring Security's own clients wait for an answer forever; these give up after
 * {@link #CONNECT_TIMEOUT} to connect and {@link #ANSWER_TIMEOUT} for the whole answer, as
 * discovery does, so a provider that accepts and never answers cannot hold a sign-in.
 * Otherwise they are configured as Spring Security's defaults are.
 */
public final class ProviderClients {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final ClientHttpRequestFactory requests;
    private final Map<String, JwtDecoder> idTokenDecoders = new ConcurrentHashMap<>();

    public ProviderClients() {
        var http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        var factory = new JdkClientHttpRequestFactory(http);
        // Spring's JDK request gives up on the body too once this passes, not only on the headers.
        factory.setReadTimeout(ANSWER_TIMEOUT);
        this.requests = factory;
    }

    /** Trades the authorization code for tokens at the token endpoint. */
    public RestClientAuthorizationCodeTokenResponseClient tokens() {
        var client = new RestClientAuthorizationCodeTokenResponseClient();
        client.setRestClient(RestClient.builder()
                .requestFactory(requests)
                .configureMessageConverters(c -> c.addCustomConverter(new FormHttpMessageConverter())
                        .addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter()))
                .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
                .build());
        return client;
    }

    /**
     * Verifies ID tokens as {@link OidcIdTokenDecoderFactory} does by default (RS256 against the
     * provider's key set, timestamps, issuer, audience), one decoder (and key cache) per registration.
     */
    public JwtDecoderFactory<ClientRegistration> idTokens() {
        return registration -> idTokenDecoders.computeIfAbsent(registration.getRegistrationId(), id -> {
            var decoder = NimbusJwtDecoder.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .restOperations(new RestTemplate(requests))
                    .build();
            decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
                    new OidcIdTokenValidator(registration)));
            decoder.setClaimSetConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverter());
            return decoder;
        });
    }

    /** Reads the user info endpoint, where the provider has one. */
    public OidcUserService userInfo() {
        var rest = new RestTemplate(requests);
        rest.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
        var plain = new DefaultOAuth2UserService();
        plain.setRestOperations(rest);
        var oidc = new OidcUserService();
        oidc.setOauth2UserService(plain);
        return oidc;
    }

    /**
     * What a sign-in that failed because the provider could not be reached or did not answer in
     * time should say, if that is why it failed: Spring Security wraps the I/O error in its own
     * errors, several layers deep.
     */
    public static Optional<String> unreachable(Throwable failure, String issuer) {
        String provider = "the identity provider at " + issuer;
        // A timeout first: the JDK may report one connecting as a ConnectException caused by it.
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof HttpConnectTimeoutException) {
                return Optional.of(provider + " did not accept a connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
            }
            if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
                return Optional.of(provider + " did not answer within " + ANSWER_TIMEOUT.toSeconds() + " s");
            }
        }
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof ConnectException) return Optional.of(provider + " cannot be reached: connection refused");
        }
        return Optional.empty();
    }
}
