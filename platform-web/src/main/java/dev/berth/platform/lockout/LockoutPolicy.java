package dev.berth.platform.lockout;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Failed-login throttling, keyed by where the attempts come from. Pure: the failures and the
 * time are passed in.
 * <p>
 * After {@code maxFailures} failures for one account from one source address inside
 * {@code window}, that account is locked <em>for that address</em>; after
 * {@code maxAddressFailures} failures from one address for any accounts (known or not), that
 * address may not sign in at all. A lock ends when the window no longer holds enough failures;
 * attempts refused while locked are not counted, so they do not prolong it. No lock is
 * account-wide: an attacker hammering {@code admin} from one address locks out only that address,
 * and the admin still signs in from anywhere else.
 */
public record LockoutPolicy(int maxFailures, int maxAddressFailures, Duration window) {
    public static final LockoutPolicy DEFAULT = new LockoutPolicy(5, 30, Duration.ofMinutes(15));

    public LockoutPolicy {
        if (maxFailures < 1 || maxAddressFailures < maxFailures) {
            throw new IllegalArgumentException("need 1 <= maxFailures <= maxAddressFailures");
        }
    }

    /** Whether an attempt may check a password. */
    public sealed interface Verdict permits Open, Locked {
    }

    public record Open() implements Verdict {
    }

    /** Refused without looking at the password, until {@code until}. */
    public record Locked(Scope scope, Instant until) implements Verdict {
    }

    public enum Scope {
        /** This account, from this address. */
        ACCOUNT_FROM_ADDRESS,
        /** Every account, from this address. */
        ADDRESS
    }

    /**
     * @param accountFromAddress earlier failures for this account from this address (empty for an
     *                           unknown user)
     * @param fromAddress        earlier failures from this address, for any account
     */
    public Verdict check(List<Instant> accountFromAddress, List<Instant> fromAddress, Instant now) {
        var byAddress = lockedUntil(fromAddress, maxAddressFailures, now);
        if (byAddress != null) return new Locked(Scope.ADDRESS, byAddress);
        var byAccount = lockedUntil(accountFromAddress, maxFailures, now);
        if (byAccount != null) return new Locked(Scope.ACCOUNT_FROM_ADDRESS, byAccount);
        return new Open();
    }

    /** When the window stops holding {@code max} of these failures; null if it holds fewer now. */
    private Instant lockedUntil(List<Instant> failures, int max, Instant now) {
        // No upper bound: PostgreSQL rounds to microseconds, so a failure just stored may read
        // back a few hundred nanoseconds after now.
        var recent = failures.stream().filter(t -> t.isAfter(windowStart(now))).sorted().toList();
        if (recent.size() < max) return null;
        return recent.get(recent.size() - max).plus(window);
    }

    public Instant windowStart(Instant now) {
        return now.minus(window);
    }

    /**
     * The address failures are counted under. An IPv6 host usually holds a whole /64 and can pick
     * any address in it, so IPv6 addresses count per /64; IPv4 addresses (mapped ones too) count
     * as they are. Anything that is not an address literal is kept as given.
     */
    public static String sourceKey(String address) {
        if (address == null || address.isBlank()) return "unknown";
        InetAddress parsed;
        try {
            parsed = InetAddress.ofLiteral(address.strip());
        } catch (IllegalArgumentException notALiteral) {
            return address.strip();
        }
        if (parsed instanceof Inet6Address) {
            byte[] bytes = parsed.getAddress();
            java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return parsed.getHostAddress();
    }
}
