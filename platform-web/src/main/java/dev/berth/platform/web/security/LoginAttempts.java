package dev.berth.platform.web.security;

import dev.berth.platform.lockout.LockoutPolicy;
import dev.berth.platform.lockout.LoginThrottle;
import dev.berth.platform.security.BerthUser;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.users.UserAccounts;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Audits password sign-ins, and the sign-outs of every dashboard session: a single sign-on session
 * holds the same {@link BerthUser} (its sign-in is audited where the user is provisioned). The failures themselves are counted by
 * {@link LoginThrottle} as attempts are admitted; a success forgets that account's failures from
 * that address. Failures are audited through {@link FailureAudit}, so a flood cannot queue the
 * platform behind the audit log.
 */
@Component
public class LoginAttempts {
    private static final AuditEvent.Actor ANONYMOUS = new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "anonymous");

    private final UserAccounts users;
    private final AuditLog audit;
    private final FailureAudit failures;
    private final LoginThrottle throttle;

    public LoginAttempts(UserAccounts users, AuditLog audit, FailureAudit failures, LoginThrottle throttle) {
        this.users = users;
        this.audit = audit;
        this.failures = failures;
        this.throttle = throttle;
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        if (!(event.getAuthentication().getPrincipal() instanceof BerthUser user)) return;
        var origin = RequestOrigin.current();
        throttle.succeeded(user.id(), origin.address());
        audit.record(AuditEvent.of(AuditEvent.Actor.user(user.username()), "login.success", "user:" + user.username())
                .source(origin.address(), origin.userAgent()));
    }

    @EventListener
    public void signedOut(LogoutSuccessEvent event) {
        if (!(event.getAuthentication().getPrincipal() instanceof BerthUser user)) return;
        var origin = RequestOrigin.current();
        audit.record(AuditEvent.of(AuditEvent.Actor.user(user.username()), "logout", "user:" + user.username())
                .source(origin.address(), origin.userAgent()));
    }

    @EventListener
    public void failed(AbstractAuthenticationFailureEvent event) {
        if (!(event.getAuthentication() instanceof UsernamePasswordAuthenticationToken attempt)) return;
        String username = attempt.getName();
        var origin = RequestOrigin.current();
        Long userId = users.find(username).map(u -> u.id()).orElse(null);
        // The attempt was admitted (and written down) or refused before its password was checked;
        // what the throttle says now tells which, and whether this failure was the one that locked.
        var now = throttle.peek(userId, origin.address());
        boolean refused = event instanceof AuthenticationFailureLockedEvent;
        String reason = !refused ? "bad credentials"
                : now instanceof LockoutPolicy.Locked l && l.scope() == LockoutPolicy.Scope.ADDRESS
                ? "too many failures from this address" : "account locked for this address";
        failures.report(AuditEvent.of(ANONYMOUS, "login.failure", "user:" + username)
                .source(origin.address(), origin.userAgent())
                .outcome(AuditEvent.Outcome.FAILURE)
                .detail("reason", reason));
        if (!refused && now instanceof LockoutPolicy.Locked lock && justLocked(lock, userId, origin.address())) {
            var policy = throttle.policy();
            boolean address = lock.scope() == LockoutPolicy.Scope.ADDRESS;
            failures.report(AuditEvent.of(AuditEvent.Actor.system(), address ? "address.locked" : "account.locked",
                            address ? "address:" + origin.address() : "user:" + username)
                    .source(origin.address(), origin.userAgent())
                    .detail("until", lock.until())
                    .detail("failures", address ? policy.maxAddressFailures() : policy.maxFailures())
                    .detail("window", policy.window()));
        }
    }

    /** Whether the lock began with this failure: without it, the throttle would be open. */
    private boolean justLocked(LockoutPolicy.Locked lock, Long userId, String address) {
        var policy = throttle.policy();
        return throttle.failureCounts(userId, address, lock.scope()) == (lock.scope() == LockoutPolicy.Scope.ADDRESS
                ? policy.maxAddressFailures() : policy.maxFailures());
    }
}
