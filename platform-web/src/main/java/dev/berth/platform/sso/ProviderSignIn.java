package dev.berth.platform.sso;

import dev.berth.platform.access.RequestOrigin;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * The step of an OpenID Connect sign-in that turns the verified ID token (and user info, where
 * the provider has it) into a Berth user: Spring Security has checked the token's signature,
 * issuer, audience, expiry and nonce before this runs.
 */
public class ProviderSignIn implements OAuth2UserService<OidcUserRequest, OidcUser> {
    /** Groups beyond these are not read: no rule set needs more, and a token should not make us do unbounded work. */
    static final int MAX_GROUPS = 1000;

    private final OidcUserService provider;
    private final SsoProperties properties;
    private final SignInProvisioning provisioning;

    public ProviderSignIn(SsoProperties properties, SignInProvisioning provisioning, ProviderClients clients) {
        this.provider = clients.userInfo();
        this.properties = properties;
        this.provisioning = provisioning;
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        OidcUser person = provider.loadUser(request);
        var claims = person.getClaims();
        var who = new SignInIdentity(person.getIdToken().getIssuer().toString(), person.getSubject(),
                claimedName(claims, properties.usernameClaim(), person.getSubject()), groups(claims.get(properties.groupsClaim())));
        try {
            return new SignedInUser(person, provisioning.signIn(who, RequestOrigin.current()));
        } catch (SignInProvisioning.SignInRefusedException e) {
            throw new OAuth2AuthenticationException(new OAuth2Error("berth_sign_in_refused", e.getMessage(), null), e.getMessage());
        }
    }

    static String claimedName(Map<String, Object> claims, String claim, String subject) {
        for (Object value : new Object[]{claims.get(claim), claims.get("preferred_username"), claims.get("email")}) {
            if (value instanceof String s && !s.isBlank()) return s;
        }
        return subject;
    }

    /** The groups a claim lists: a list of strings, or one string; anything else is no groups. */
    static Set<String> groups(Object claim) {
        var groups = new LinkedHashSet<String>();
        if (claim instanceof String s) claim = java.util.List.of(s);
        if (claim instanceof Collection<?> values) {
            for (Object v : values) {
                if (groups.size() == MAX_GROUPS) break;
                if (v instanceof String s && !s.isBlank() && s.length() <= GroupRules.MAX_GROUP_LENGTH) groups.add(s.strip());
            }
        }
        return groups;
    }
}
