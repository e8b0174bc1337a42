package dev.berth.platform.sso;

import org.springframework.security.authentication.AccountStatusException;

/**
 * A password sign-in refused because local passwords are off ({@code berth.sso.local-passwords=false})
 * and the account is not the break-glass admin. The message tells the person where to sign in instead.
 */
public class PasswordSignInRefused extends AccountStatusException {
    public PasswordSignInRefused(String displayName) {
        super("Password sign-in is turned off on this platform: use \"Sign in with " + displayName
                + "\". API tokens still work for the API and git.");
    }
}
