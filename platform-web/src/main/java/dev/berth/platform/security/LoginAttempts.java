package dev.berth.platform.security;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.users.UserRepository;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureLockedEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Audits password sign-ins and sign-outs, and locks accounts per {@link LockoutPolicy}. */
@Component
public class LoginAttempts {
    private static final AuditEvent.Actor ANONYMOUS = new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "anonymous");

    private final UserRepository users;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final LockoutPolicy policy;

    public LoginAttempts(UserRepository users, AuditLog audit, TransactionTemplate tx, Clock clock, LockoutPolicy policy) {
        this.users = users;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.policy = policy;
    }

    @EventListener
    public void succeeded(AuthenticationSuccessEvent event) {
        if (!(event.getAuthentication().getPrincipal() instanceof BerthUser user)) return;
        users.clearFailures(user.id());
        var origin = RequestOrigin.current();
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
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        boolean alreadyLocked = event instanceof AuthenticationFailureLockedEvent;
        Optional<Instant> lockedUntil = alreadyLocked ? Optional.empty() : tx.execute(s -> users.find(username).flatMap(u -> {
            users.lockRow(u.id());
            users.recordFailure(u.id(), now, policy.windowStart(now));
            var lock = policy.lockAfterFailure(users.failuresSince(u.id(), policy.windowStart(now)), now);
            lock.ifPresent(until -> {
                users.lockUntil(u.id(), until);
                users.clearFailures(u.id());
            });
            return lock;
        }));
        audit.record(AuditEvent.of(ANONYMOUS, "login.failure", "user:" + username)
                .source(origin.address(), origin.userAgent())
                .outcome(AuditEvent.Outcome.FAILURE)
                .detail("reason", alreadyLocked ? "account locked" : "bad credentials"));
        lockedUntil.ifPresent(until -> audit.record(AuditEvent.of(AuditEvent.Actor.system(), "account.locked", "user:" + username)
                .source(origin.address(), origin.userAgent())
                .detail("until", until)
                .detail("failures", policy.maxFailures())
                .detail("window", policy.window())));
    }
}
