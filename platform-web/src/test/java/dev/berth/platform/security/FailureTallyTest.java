package dev.berth.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureTallyTest {
    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    /** failures: "source@secondsAfterT0" separated by spaces; expected: which were audited one by one (1) or counted (0). */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "'a@0 a@1 a@2',                 '110'",
            "'a@0 a@1 a@2 b@3',             '1101'",
            "'a@0 b@1 c@2 d@3',             '1110'",
            // a new window starts afresh
            "'a@0 a@1 a@60 a@61 a@62',      '11110'",
            "'a@0 a@1 a@59 a@60',           '1101'",
            // a clock stepped back ends the window rather than hold it open
            "'a@100 a@101 a@102 a@40 a@41', '11011'",
            "'a@100 a@101 a@99 a@99',       '1111'"})
    void auditsABoundedNumberPerSourceAndOverallPerWindow(String failures, String expected) {
        var tally = new FailureTally(Duration.ofMinutes(1), 2, 3, 10);
        var got = new StringBuilder();
        for (String f : failures.split(" ")) {
            var parts = f.split("@");
            got.append(tally.admit("login.failure", parts[0], "user:x", T0.plusSeconds(Long.parseLong(parts[1]))) ? '1' : '0');
        }
        assertThat(got.toString()).isEqualTo(expected);
    }

    @Test
    void whatWasOnlyCountedComesOutOnceAsASummaryWhenTheWindowEnds() {
        var tally = new FailureTally(Duration.ofMinutes(1), 2, 100, 10);
        int audited = 0;
        for (int i = 0; i < 1000; i++) {
            if (tally.admit(i % 2 == 0 ? "login.failure" : "token.rejected", "203.0.113.9", "user:u" + i, T0.plusMillis(i))) {
                audited++;
            }
        }
        assertThat(audited).isEqualTo(2);
        assertThat(tally.due(T0.plusSeconds(59))).as("the window has not ended").isEmpty();
        var summaries = tally.due(T0.plusSeconds(60));
        assertThat(summaries).extracting(FailureTally.Summary::action).containsExactly("login.failure", "token.rejected");
        assertThat(summaries.stream().mapToLong(FailureTally.Summary::count).sum()).isEqualTo(998);
        var first = summaries.getFirst();
        assertThat(first.source()).isEqualTo("203.0.113.9");
        assertThat(first.from()).isEqualTo(T0);
        assertThat(first.until()).isEqualTo(T0.plusSeconds(60));
        assertThat(first.targets()).hasSize(FailureTally.SAMPLE_TARGETS).startsWith("user:u2");
        assertThat(tally.due(T0.plusSeconds(600))).as("handed out once").isEmpty();
    }

    @Test
    void manySourcesShareOneSummaryBeyondTheLimit() {
        var tally = new FailureTally(Duration.ofMinutes(1), 0, 0, 3);
        for (int i = 0; i < 50; i++) tally.admit("token.rejected", "203.0.113." + i, "GET /api", T0);
        var summaries = tally.drain(T0.plusSeconds(5));
        assertThat(summaries).hasSize(4);
        assertThat(summaries.getLast().source()).isEqualTo(FailureTally.OTHER_SOURCES);
        assertThat(summaries.getLast().count()).isEqualTo(47);
        assertThat(summaries.getLast().until()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void aFailureWithoutATargetIsCountedAndItsWindowStillEnds() {
        var tally = new FailureTally(Duration.ofMinutes(1), 0, 0, 3);
        tally.admit("agent.rejected", "203.0.113.9", null, T0);
        tally.admit("agent.rejected", "203.0.113.9", "POST /agent/v1/heartbeat", T0);
        var summaries = tally.due(T0.plusSeconds(61));
        assertThat(summaries).hasSize(1);
        assertThat(summaries.getFirst().count()).isEqualTo(2);
        assertThat(summaries.getFirst().targets()).containsExactly("POST /agent/v1/heartbeat");
    }

    @Test
    void aClockSteppedBackHandsOutWhatItsWindowCounted() {
        var tally = new FailureTally(Duration.ofMinutes(1), 0, 0, 3);
        tally.admit("token.rejected", "203.0.113.9", "GET /api", T0.plusSeconds(3600));
        var summaries = tally.due(T0);
        assertThat(summaries).hasSize(1);
        assertThat(summaries.getFirst().count()).isEqualTo(1);
        assertThat(summaries.getFirst().until()).isEqualTo(T0);
    }

    @Test
    void nothingCountedMeansNoSummary() {
        var tally = new FailureTally(Duration.ofMinutes(1), 5, 5, 3);
        var audited = new ArrayList<Boolean>();
        for (int i = 0; i < 5; i++) audited.add(tally.admit("login.failure", "a", "user:x", T0));
        assertThat(audited).containsOnly(true);
        assertThat(tally.drain(T0.plusSeconds(120))).isEqualTo(List.of());
    }
}
