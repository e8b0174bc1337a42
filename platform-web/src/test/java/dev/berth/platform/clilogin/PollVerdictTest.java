package dev.berth.platform.clilogin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PollVerdictTest {
    private static final Instant CREATED = Instant.parse("2026-12-06T10:00:00Z");

    private static LoginRequest request(LoginRequest.State state, Instant lastPolled, int interval) {
        Long by = state == LoginRequest.State.PENDING ? null : 7L;
        return new LoginRequest(1, new UserCode("ABCDEFGH"), "berth CLI", "laptop", "127.0.0.1", null, CREATED,
                CREATED.plus(Duration.ofMinutes(10)), interval, lastPolled, state, by, by == null ? null : 3L);
    }

    @Test
    void pendingUntilSomeoneDecidesAndSlowDownWhenAskedBeforeTheInterval() {
        assertThat(PollVerdict.decide(request(LoginRequest.State.PENDING, null, 2), CREATED.plusSeconds(1)))
                .isEqualTo(new PollVerdict.Pending(2));
        var polled = CREATED.plusSeconds(10);
        assertThat(PollVerdict.decide(request(LoginRequest.State.PENDING, polled, 2), polled.plusMillis(1999)))
                .isEqualTo(new PollVerdict.SlowDown(7));
        assertThat(PollVerdict.decide(request(LoginRequest.State.PENDING, polled, 2), polled.plusSeconds(2)))
                .isEqualTo(new PollVerdict.Pending(2));
        assertThat(PollVerdict.decide(request(LoginRequest.State.PENDING, polled, 58), polled))
                .as("the interval grows to a minute at most").isEqualTo(new PollVerdict.SlowDown(60));
    }

    @Test
    void approvedDeniedExpiredAndCollected() {
        var now = CREATED.plusSeconds(30);
        assertThat(PollVerdict.decide(request(LoginRequest.State.APPROVED, now, 2), now)).isEqualTo(new PollVerdict.Approved(7, 3));
        assertThat(PollVerdict.decide(request(LoginRequest.State.DENIED, null, 2), now)).isInstanceOf(PollVerdict.Denied.class);
        assertThat(PollVerdict.decide(request(LoginRequest.State.CONSUMED, null, 2), now))
                .isInstanceOfSatisfying(PollVerdict.Expired.class, e -> assertThat(e.why()).contains("already collected"));
        var late = CREATED.plus(Duration.ofMinutes(10));
        assertThat(PollVerdict.decide(request(LoginRequest.State.APPROVED, null, 2), late))
                .as("an approval not collected in time is over too")
                .isInstanceOfSatisfying(PollVerdict.Expired.class, e -> assertThat(e.why()).contains("expired"));
        assertThat(PollVerdict.decide(null, now)).isEqualTo(new PollVerdict.Unknown());
    }

    @Test
    void tenWrongCodesInAWindowMeanWaitingUntilTheOldestLeavesIt() {
        var limit = CodeGuessLimit.DEFAULT;
        var failures = new java.util.ArrayList<Instant>();
        for (int i = 0; i < 9; i++) failures.add(CREATED.plusSeconds(i));
        assertThat(limit.lockedUntil(failures, CREATED.plusSeconds(20))).isEmpty();
        failures.add(CREATED.plusSeconds(9));
        assertThat(limit.lockedUntil(failures, CREATED.plusSeconds(20))).contains(CREATED.plus(Duration.ofMinutes(15)));
        assertThat(limit.lockedUntil(failures, CREATED.plus(Duration.ofMinutes(15)))).isEmpty();
    }
}
