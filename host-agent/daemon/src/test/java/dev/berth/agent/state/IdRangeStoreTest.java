package dev.berth.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdRangeStoreTest {
    @TempDir
    Path state;

    @Test
    void twoAppsGetDifferentRangesThatSurviveAnAgentRestart() throws Exception {
        var store = new IdRangeStore(state);
        var web = store.rangeFor("web");
        var worker = store.rangeFor("worker");
        assertThat(web.overlaps(worker)).isFalse();
        assertThat(web.hostStart()).isGreaterThanOrEqualTo(65536);
        assertThat(store.rangeFor("web")).isEqualTo(web);

        var restarted = new IdRangeStore(state);
        assertThat(restarted.rangeFor("web")).isEqualTo(web);
        assertThat(restarted.rangeFor("worker")).isEqualTo(worker);
        assertThat(restarted.rangeFor("third").overlaps(web)).isFalse();
    }

    @Test
    void aDamagedFileIsReportedNotOverwritten() throws Exception {
        Files.writeString(state.resolve("id-ranges.json"), "{not json");
        assertThatThrownBy(() -> new IdRangeStore(state).rangeFor("web"))
                .hasMessageContaining("id-ranges.json is damaged").hasMessageContaining("restore it");
        assertThat(Files.readString(state.resolve("id-ranges.json"))).isEqualTo("{not json");
    }
}
