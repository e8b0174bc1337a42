package dev.berth.platform.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.platform.problem.Problem;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenMintingTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final Map<String, Role> MEMBERSHIPS = Map.of("a", Role.ADMIN, "b", Role.VIEWER);

    /**
     * minter: "session", or "token:TEAM:ROLE" with '-' for none; expiries in days from now, '-' for none.
     * expected: "TEAM ROLE DAYS" granted ('-' for none), or the status and a fragment of the refusal.
     */
    @ParameterizedTest(name = "{0} (expires {1}) asks team={2} role={3} expires={4} → {5}")
    @CsvSource({
            // a session or password reaches what its user does
            "session,        -,  -, -,        -,  '- - -'",
            "session,        -,  a, ADMIN,    30, 'a ADMIN 30'",
            "session,        -,  b, ADMIN,    -,  '403 you have the VIEWER role'",
            "session,        -,  c, -,        -,  '404 team ''c'' not found'",
            // an unnarrowed token that never expires
            "token:-:-,      -,  -, -,        -,  '- - -'",
            "token:-:-,      -,  a, -,        -,  'a ADMIN -'",
            // an expiring token: the new one inherits its expiry, and may not outlive it
            "token:-:-,      10, -, -,        -,  '- - 10'",
            "token:-:-,      10, -, -,        5,  '- - 5'",
            "token:-:-,      10, -, -,        10, '- - 10'",
            "token:-:-,      10, -, -,        11, '403 cannot outlive it'",
            "token:a:-,      10, a, DEPLOYER, 11, '403 cannot outlive it'",
            // a narrowed token: its team and role are inherited, never widened
            "token:a:VIEWER, -,  -, -,        -,  'a VIEWER -'",
            "token:a:VIEWER, -,  a, -,        -,  'a VIEWER -'",
            "token:a:VIEWER, -,  a, VIEWER,   -,  'a VIEWER -'",
            "token:a:VIEWER, -,  a, DEPLOYER, -,  '403 reaches at most VIEWER in team ''a'''",
            "token:a:VIEWER, -,  a, ADMIN,    -,  '403 cannot be given ADMIN'",
            "token:a:VIEWER, -,  b, -,        -,  '403 narrowed to team ''a''; a token it creates cannot reach team ''b'''",
            "token:a:VIEWER, -,  c, -,        -,  '403 cannot reach team ''c'''",
            "token:a:-,      -,  -, -,        -,  'a ADMIN -'",
            "token:a:-,      -,  a, DEPLOYER, 3,  'a DEPLOYER 3'",
            // malformed requests
            "session,        -,  -, ADMIN,    -,  '400 needs a team'",
            "token:-:-,      -,  -, -,        0,  '400 in the past'",
            "session,        -,  -, -,        367, '400 at most 366 days'"})
    void aNewTokenNeverReachesFurtherOrLivesLongerThanWhatMintsIt(String minter, String minterExpiry, String team,
                                                                  String role, String expires, String expected) {
        var caller = new Caller(1, "u", false, MEMBERSHIPS, scope(minter));
        var request = new TokenService.Request("t", opt(team), opt(role) == null ? null : Role.valueOf(role), days(expires));
        Optional<Instant> minterExpiresAt = Optional.ofNullable(days(minterExpiry));
        if (expected.matches("\\d{3} .*")) {
            int status = Integer.parseInt(expected.substring(0, 3));
            assertThatThrownBy(() -> TokenMinting.decide(caller, minterExpiresAt, request, NOW))
                    .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(status))
                    .hasMessageContaining(expected.substring(4));
        } else {
            var parts = expected.split(" ");
            var granted = TokenMinting.decide(caller, minterExpiresAt, request, NOW);
            assertThat(granted.team()).isEqualTo(opt(parts[0]));
            assertThat(granted.maxRole()).isEqualTo(opt(parts[1]) == null ? null : Role.valueOf(parts[1]));
            assertThat(granted.expiresAt()).isEqualTo(days(parts[2]));
        }
    }

    private static Optional<Caller.TokenScope> scope(String minter) {
        if (minter.equals("session")) return Optional.empty();
        var parts = minter.split(":");
        return Optional.of(new Caller.TokenScope("minter", Optional.ofNullable(opt(parts[1])),
                Optional.ofNullable(opt(parts[2])).map(Role::valueOf)));
    }

    private static String opt(String s) {
        return s == null || s.equals("-") ? null : s;
    }

    private static Instant days(String s) {
        return opt(s) == null ? null : NOW.plus(Duration.ofDays(Long.parseLong(s)));
    }
}
