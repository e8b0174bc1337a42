package dev.berth.platform.sso;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one client registration, made from the issuer's discovery document when first asked for,
 * not at start: a provider that is down stops no platform, and a sign-in then says what is wrong.
 * A failed discovery is tried again at most every {@link #RETRY_AFTER}. PKCE is required of the
 * client even though it is confidential (RFC 9700 asks it of every client).
 */
public class IssuerRegistration implements ClientRegistrationRepository {
    static final Duration RETRY_AFTER = Duration.ofSeconds(10);
    /** A discovery document is a few KiB; a larger answer is not one. */
    static final int MAX_DOCUMENT_BYTES = 256 * 1024;
    private static final Duration TIMEOUT = ProviderClients.ANSWER_TIMEOUT;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SsoProperties properties;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(ProviderClients.CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private ClientRegistration registration;
    private IssuerUnavailableException lastFailure;
    private Instant lastFailureAt;

    public IssuerRegistration(SsoProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** Thrown when the issuer's discovery document cannot be had; the message says why. */
    public static class IssuerUnavailableException extends RuntimeException {
        IssuerUnavailableException(String message) {
            super(message);
        }
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        return properties.registrationId().equals(registrationId) ? registration() : null;
    }

    /** The registration, discovering it if need be; an {@link IssuerUnavailableException} if that fails. */
    public synchronized ClientRegistration registration() {
        if (registration != null) return registration;
        Instant now = clock.instant();
        if (lastFailure != null && now.isBefore(lastFailureAt.plus(RETRY_AFTER))) throw lastFailure;
        try {
            registration = build(discover());
            lastFailure = null;
            return registration;
        } catch (IssuerUnavailableException e) {
            lastFailure = e;
            lastFailureAt = now;
            throw e;
        }
    }

    private Map<String, Object> discover() {
        String issuer = properties.issuerUri().toString();
        URI document = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration");
        String problem = "the identity provider at " + issuer + " cannot be reached: ";
        try {
            var response = http.send(HttpRequest.newBuilder(document).timeout(TIMEOUT).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IssuerUnavailableException(problem + "GET " + document + " answered " + response.statusCode());
                }
                byte[] bytes = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
                if (bytes.length > MAX_DOCUMENT_BYTES) {
                    throw new IssuerUnavailableException(problem + document + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> metadata = JSON.readValue(bytes, Map.class);
                // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it was asked of.
                if (!issuer.equals(metadata.get("issuer"))) {
                    throw new IssuerUnavailableException("the identity provider's discovery document names the issuer '"
                            + metadata.get("issuer") + "', not the configured berth.sso.issuer-uri '" + issuer + "'");
                }
                return metadata;
            }
        } catch (IOException e) {
            throw new IssuerUnavailableException(problem + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IssuerUnavailableException(problem + "interrupted");
        } catch (RuntimeException e) {
            if (e instanceof IssuerUnavailableException) throw e;
            throw new IssuerUnavailableException("the identity provider's discovery document is not valid: " + e.getMessage());
        }
    }

    private static String describe(IOException e) {
        return switch (e) {
            case java.net.ConnectException c -> "connection refused";
            case java.net.http.HttpTimeoutException t -> "no answer within " + TIMEOUT.toSeconds() + " s";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    private ClientRegistration build(Map<String, Object> metadata) {
        try {
            return ClientRegistrations.fromOidcConfiguration(metadata)
                    .registrationId(properties.registrationId())
                    .clientName(properties.displayName())
                    .clientId(properties.clientId())
                    .clientSecret(properties.clientSecret())
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                    .scope("openid", "profile", "email")
                    .userNameAttributeName("sub")
                    .clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
                    .build();
        } catch (RuntimeException e) {
            throw new IssuerUnavailableException("the identity provider's discovery document is not usable: " + e.getMessage());
        }
    }
}
