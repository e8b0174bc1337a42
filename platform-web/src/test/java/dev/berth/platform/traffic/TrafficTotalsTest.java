package dev.berth.platform.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.EdgeStatus.AppRequests;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTotalsTest {
    private final TrafficTotals totals = new TrafficTotals();

    @Test
    void theFirstReportIsTheBaselineAndLaterOnesAddTheirDifference() {
        assertThat(totals.report("h1", List.of(new AppRequests("t/web", 100, 1, 1000)))).isEmpty();
        assertThat(totals.report("h1", List.of(new AppRequests("t/web", 150, 1, 1500))))
                .containsExactly(new TrafficTotals.Increment("t/web", 50, 0, 500));
        // Nothing new: nothing to add.
        assertThat(totals.report("h1", List.of(new AppRequests("t/web", 150, 1, 1500)))).isEmpty();
    }

    @Test
    void totalsThatWentDownMeanTheAgentRestartedAndAreAllNew() {
        totals.report("h1", List.of(new AppRequests("t/web", 100, 5, 1000)));
        assertThat(totals.report("h1", List.of(new AppRequests("t/web", 7, 1, 70))))
                .containsExactly(new TrafficTotals.Increment("t/web", 7, 1, 70));
        assertThat(totals.report("h1", List.of(new AppRequests("t/web", 9, 1, 90))))
                .containsExactly(new TrafficTotals.Increment("t/web", 2, 0, 20));
    }

    @Test
    void eachHostAndAppIsCountedOnItsOwn() {
        totals.report("h1", List.of(new AppRequests("t/web", 100, 0, 0), new AppRequests("t/api", 10, 0, 0)));
        totals.report("h2", List.of(new AppRequests("t/web", 5, 0, 0)));
        assertThat(totals.report("h2", List.of(new AppRequests("t/web", 8, 0, 0))))
                .containsExactly(new TrafficTotals.Increment("t/web", 3, 0, 0));
        // An app missing from a report keeps its last totals.
        assertThat(totals.report("h1", List.of(new AppRequests("t/web", 101, 0, 0)))).containsExactly(
                new TrafficTotals.Increment("t/web", 1, 0, 0));
        assertThat(totals.report("h1", List.of(new AppRequests("t/api", 12, 0, 0)))).containsExactly(
                new TrafficTotals.Increment("t/api", 2, 0, 0));
        totals.forget("h1");
        assertThat(totals.report("h1", List.of(new AppRequests("t/web", 500, 0, 0)))).isEmpty();
    }
}
