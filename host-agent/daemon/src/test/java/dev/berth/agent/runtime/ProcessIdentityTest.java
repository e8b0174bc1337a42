package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessIdentityTest {
    private static final Path PROC = Path.of("/proc");
    private static final String TAIL = " S 1 2 3 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 %s 1000 10 18446744073709551615";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "plain name|1234 (sleep)|987654",
            "spaces and parentheses in the name|1234 (a) (b c)|42",
            "name looking like fields|1234 (1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20)|7"})
    void readsTheStartTimeAfterTheCommandName(String title, String head, long start) {
        assertThat(ProcessIdentity.startTicks(head + TAIL.formatted(start))).hasValue(start);
    }

    @Test
    void aLineThatIsNoStatLineHasNoStartTime() {
        assertThat(ProcessIdentity.startTicks("1234 sleep S 1")).isEqualTo(OptionalLong.empty());
        assertThat(ProcessIdentity.startTicks("1234 (sleep) S 1 2")).isEqualTo(OptionalLong.empty());
        assertThat(ProcessIdentity.parse("12 x")).isEmpty();
        assertThat(ProcessIdentity.parse("12 34 boot")).contains(new ProcessIdentity(12, 34, "boot"));
    }

    @Test
    void aLiveProcessIsItselfAndNoOtherWithItsPid() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "600").start();
        try {
            var identity = ProcessIdentity.of(PROC, sleep.pid()).orElseThrow();
            assertThat(identity.alive(PROC)).isTrue();
            assertThat(ProcessIdentity.parse(identity.line())).contains(identity);
            // The same pid, started at another moment (or in another boot): another process.
            assertThat(new ProcessIdentity(sleep.pid(), identity.startTicks() - 1, identity.bootId()).alive(PROC)).isFalse();
            assertThat(new ProcessIdentity(sleep.pid(), identity.startTicks(), "another-boot").alive(PROC)).isFalse();
            sleep.destroyForcibly().waitFor();
            assertThat(identity.alive(PROC)).as("ended").isFalse();
        } finally {
            sleep.destroyForcibly();
        }
    }
}
