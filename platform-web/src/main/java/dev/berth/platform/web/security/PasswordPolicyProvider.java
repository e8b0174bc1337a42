package dev.berth.platform.web.security;

import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.sso.PasswordSignInRefused;
import dev.berth.platform.sso.SsoProperties;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * Refuses a password sign-in, before any password is checked or counted, when local passwords are
 * off and the account is not the break-glass admin. Placed after the provider that takes API
 * tokens as Basic passwords (git), so tokens still work; otherwise it passes every attempt on.
 */
public class PasswordPolicyProvider implements AuthenticationProvider {
    private final SsoProperties sso;
    private final FailureAudit failures;

    public PasswordPolicyProvider(SsoProperties sso, FailureAudit failures) {
        this.sso = sso;
        this.failures = failures;
    }

    @Override
    public Authentication authenticate(Authentication attempt) {
        if (sso.passwordAllowed(attempt.getName())) return null;
        var origin = RequestOrigin.current();
        failures.report(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "anonymous"), "login.failure",
                        "user:" + attempt.getName())
                .source(origin.address(), origin.userAgent())
                .outcome(AuditEvent.Outcome.FAILURE)
                .detail("reason", "local passwords are off"));
        throw new PasswordSignInRefused(sso.displayName());
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
