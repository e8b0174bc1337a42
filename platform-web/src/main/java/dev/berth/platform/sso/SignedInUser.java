package dev.berth.platform.sso;

import dev.berth.platform.users.UserAccount;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/** The person the provider signed in, with the Berth account {@link SignInProvisioning} gave them. */
public class SignedInUser extends DefaultOidcUser {
    private final transient UserAccount account;

    SignedInUser(OidcUser person, UserAccount account) {
        super(person.getAuthorities(), person.getIdToken(), person.getUserInfo(), "sub");
        this.account = account;
    }

    public UserAccount account() {
        return account;
    }
}
