package dev.berth.platform.sso;

import org.springframework.security.authentication.AuthenticationServiceException;

/** A single sign-on that could not start: the provider's discovery failed. The message says why. */
public class ProviderUnavailable extends AuthenticationServiceException {
    public ProviderUnavailable(String reason, Throwable cause) {
        super("Single sign-on is unavailable: " + reason, cause);
    }
}
