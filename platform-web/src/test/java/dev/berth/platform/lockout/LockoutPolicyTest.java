package dev.berth.platform.lockout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LockoutPolicyTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final LockoutPolicy POLICY = new LockoutPolicy(5, 8, java.time.Duration.ofMinutes(15));

    /**
     * accountFromAddress: earlier failures of this account from this address; fromAddress: the
     * address's other failures (other accounts, unknown users), both in minutes before now.
     * expected: open, or the scope locked and minutes until it opens.
     */
    @ParameterizedTest(name = "account here {0}, others here {1} → {2}")
    @CsvSource({
            "'',              '',                'open'",
            "'0 1 2 3',       '',                'open'",
            "'0 1 2 3 4',     '',                'ACCOUNT_FROM_ADDRESS 11'",
            "'0 0 0 0 0 0',   '',                'ACCOUNT_FROM_ADDRESS 15'",
            // the lock ends when the oldest of the last five leaves the window
            "'0 1 2 3 14',    '',                'ACCOUNT_FROM_ADDRESS 1'",
            "'0 1 2 3 15',    '',                'open'",
            "'0 1 2 3 16',    '',                'open'",
            "'0 20 30 40 50', '',                'open'",
            // the address's failures for any account count towards the address cap
            "'0 1 2 3',       '0 1 2 3',         'ADDRESS 12'",
            "'',              '0 1 2 3 4 5 6 7', 'ADDRESS 8'",
            "'',              '0 1 2 3 4 5 6',   'open'",
            "'',              '0 1 2 3 4 5 6 15', 'open'",
            // the address cap wins: it locks every account from there
            "'0 1 2 3 4',     '0 1 2',           'ADDRESS 11'"})
    void locksAnAccountForOneAddressAndAnAddressForEveryAccount(String accountHere, String othersHere, String expected) {
        var account = minutesAgo(accountHere);
        var address = new java.util.ArrayList<>(account);
        address.addAll(minutesAgo(othersHere));
        var verdict = POLICY.check(account, address, NOW);
        if (expected.equals("open")) {
            assertThat(verdict).isInstanceOf(LockoutPolicy.Open.class);
        } else {
            var parts = expected.split(" ");
            assertThat(verdict).isEqualTo(new LockoutPolicy.Locked(LockoutPolicy.Scope.valueOf(parts[0]),
                    NOW.plusSeconds(60L * Integer.parseInt(parts[1]))));
        }
    }

    @Test
    void anotherAddressWithNoFailuresIsOpenWhateverTheAccountSuffersElsewhere() {
        // The throttle asks per address: the attacker's failures are not in this address's lists.
        assertThat(POLICY.check(List.of(), List.of(), NOW)).isInstanceOf(LockoutPolicy.Open.class);
    }

    @Test
    void aFailureThatReadsBackRoundedUpStillCounts() {
        var failures = List.of(NOW.minusSeconds(3), NOW.minusSeconds(2), NOW.minusSeconds(1), NOW.minusNanos(1), NOW.plusNanos(500));
        assertThat(POLICY.check(failures, failures, NOW)).isInstanceOf(LockoutPolicy.Locked.class);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "127.0.0.2,                 127.0.0.2",
            "203.0.113.7,               203.0.113.7",
            "::ffff:203.0.113.7,        203.0.113.7",
            "2001:db8:1:2::1,           2001:db8:1:2:0:0:0:0/64",
            "2001:db8:1:2:ffff:1:2:3,   2001:db8:1:2:0:0:0:0/64",
            "2001:db8:1:3::1,           2001:db8:1:3:0:0:0:0/64",
            "::1,                       0:0:0:0:0:0:0:0/64",
            "'',                        unknown",
            "not-an-address,            not-an-address"})
    void failuresCountPerIpv4AddressAndPerIpv6Slash64(String address, String key) {
        assertThat(LockoutPolicy.sourceKey(address)).isEqualTo(key);
    }

    private static List<Instant> minutesAgo(String minutes) {
        if (minutes.isBlank()) return List.of();
        return Arrays.stream(minutes.trim().split(" +")).map(m -> NOW.minusSeconds(60L * Integer.parseInt(m))).toList();
    }
}
