package dev.berth.platform.lockout;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Applies {@link LockoutPolicy} to password sign-ins. Every attempt is written down as a failure
 * before its password is checked and forgotten only when it succeeds, so a burst of parallel
 * guesses cannot all pass the check while the slow password hashes run: the attempt counts the
 * others already written, and at most the policy's number get to a password check.
 */
@Component
public class LoginThrottle {
    private final LoginFailureStore failures;
    private final LockoutPolicy policy;
    private final Clock clock;

    LoginThrottle(LoginFailureStore failures, LockoutPolicy policy, Clock clock) {
        this.failures = failures;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Admits (and records) an attempt to sign in as {@code userId} (null: no such user) from
     * {@code address}, or refuses it without recording it.
     */
    public LockoutPolicy.Verdict admit(Long userId, String address) {
        String from = LockoutPolicy.sourceKey(address);
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var since = policy.windowStart(now);
        failures.pruneBefore(since);
        long mine = failures.insert(userId, from, now);
        var verdict = policy.check(
                userId == null ? List.of() : failures.ofAccountFrom(userId, from, since, mine),
                failures.from(from, since, mine), now);
        // A refused attempt is not a guess, so it neither counts nor prolongs the lock.
        if (verdict instanceof LockoutPolicy.Locked) failures.delete(mine);
        return verdict;
    }

    /** The verdict an attempt from here would get now, without recording anything. */
    public LockoutPolicy.Verdict peek(Long userId, String address) {
        String from = LockoutPolicy.sourceKey(address);
        var now = clock.instant();
        var since = policy.windowStart(now);
        return policy.check(userId == null ? List.of() : failures.ofAccountFrom(userId, from, since, -1),
                failures.from(from, since, -1), now);
    }

    /** How many failures the window holds now for this scope. */
    public int failureCounts(Long userId, String address, LockoutPolicy.Scope scope) {
        String from = LockoutPolicy.sourceKey(address);
        var since = policy.windowStart(clock.instant());
        return switch (scope) {
            case ADDRESS -> failures.from(from, since, -1).size();
            case ACCOUNT_FROM_ADDRESS -> userId == null ? 0 : failures.ofAccountFrom(userId, from, since, -1).size();
        };
    }

    public void succeeded(long userId, String address) {
        failures.clear(userId, LockoutPolicy.sourceKey(address));
    }

    /** Whether some address is locked out of this account now. */
    public boolean lockedSomewhere(long userId) {
        return failures.mostFromOneAddress(userId, policy.windowStart(clock.instant())) >= policy.maxFailures();
    }

    public void forget(long userId) {
        failures.clearAccount(userId);
    }

    public LockoutPolicy policy() {
        return policy;
    }
}
