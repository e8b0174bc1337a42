package dev.berth.platform.sso;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code berth.sso.*}: single sign-on through an OpenID Connect provider. Without an issuer nothing
 * of it is active and every sign-in is by password, as before. The issuer is the operator's choice
 * in configuration, so the platform reaches it (and the endpoints its discovery document names)
 * wherever it is, private addresses included: no dashboard user can point it elsewhere.
 *
 * @param issuerUri      the provider's issuer; its {@code /.well-known/openid-configuration} is read
 *                       at the first sign-in (not at start, so a provider that is down stops no platform)
 * @param clientId       the client the provider registered for Berth
 * @param clientSecret   its secret (the client is confidential; PKCE is used as well)
 * @param registrationId the last part of the callback {@code {baseUrl}/login/oauth2/code/{registrationId}}
 *                       to register at the provider (default {@code sso})
 * @param displayName    the provider's name on the sign-in button (default "single sign-on")
 * @param groupsClaim    the ID token or user info claim listing the person's groups (default {@code groups})
 * @param usernameClaim  the claim a new user's name is made from (default {@code preferred_username},
 *                       then {@code email}'s local part, then the subject)
 * @param localPasswords whether password sign-in stays open to everyone (default true); when false
 *                       only {@code breakGlassAdmin} may sign in with a password; API tokens still work
 * @param breakGlassAdmin the one account that keeps its password when local passwords are off
 *                       (default {@code admin}), for when the provider is away
 */
@ConfigurationProperties("berth.sso")
public record SsoProperties(URI issuerUri, String clientId, String clientSecret, String registrationId,
                            String displayName, String groupsClaim, String usernameClaim, Boolean localPasswords,
                            String breakGlassAdmin) {

    public SsoProperties {
        if (issuerUri != null && issuerUri.toString().isBlank()) issuerUri = null;
        if (registrationId == null || registrationId.isBlank()) registrationId = "sso";
        if (!registrationId.matches("[a-z][a-z0-9-]{0,30}")) {
            throw new IllegalArgumentException("berth.sso.registration-id must be 1-31 lowercase letters, digits or '-',"
                    + " starting with a letter, not '" + registrationId + "'");
        }
        if (displayName == null || displayName.isBlank()) displayName = "single sign-on";
        if (groupsClaim == null || groupsClaim.isBlank()) groupsClaim = "groups";
        if (usernameClaim == null || usernameClaim.isBlank()) usernameClaim = "preferred_username";
        if (localPasswords == null) localPasswords = true;
        if (breakGlassAdmin == null || breakGlassAdmin.isBlank()) breakGlassAdmin = "admin";
        if (issuerUri != null) {
            if (!"https".equals(issuerUri.getScheme()) && !"http".equals(issuerUri.getScheme()) || issuerUri.getHost() == null) {
                throw new IllegalArgumentException("berth.sso.issuer-uri must be an http(s) URL, not '" + issuerUri + "'");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("berth.sso.client-id is required with berth.sso.issuer-uri");
            }
            if (clientSecret == null || clientSecret.isBlank()) {
                throw new IllegalArgumentException("berth.sso.client-secret is required with berth.sso.issuer-uri");
            }
        } else if (!localPasswords) {
            throw new IllegalArgumentException("berth.sso.local-passwords=false needs berth.sso.issuer-uri:"
                    + " without single sign-on nobody but the break-glass admin could sign in");
        }
    }

    /** Whether single sign-on is set up at all. */
    public boolean configured() {
        return issuerUri != null;
    }

    /** Whether {@code username} may sign in with a local password. */
    public boolean passwordAllowed(String username) {
        return localPasswords || breakGlassAdmin.equals(username);
    }
}
