package dev.berth.agent.containernet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.containernet.StrayHolders.Proc;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrayHoldersTest {
    private static final String JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";
    private static final String HOST_NS = "user:[4026531837]";
    private static final Proc INIT = new Proc(1, 0, "/usr/lib/systemd/systemd", "", HOST_NS);
    private static final Proc AGENT = new Proc(100, 1, JAVA, "202", HOST_NS);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a holder whose agent died (reparented to init)", new Proc(200, 1, JAVA, "34", "user:[4026532900]"), true),
                Arguments.of("a holder whose agent lives", new Proc(200, 100, JAVA, "34", "user:[4026532900]"), false),
                Arguments.of("another program in pause", new Proc(200, 1, "/usr/bin/sleep", "34", "user:[4026532900]"), false),
                Arguments.of("a java process in the host's user namespace", new Proc(200, 1, JAVA, "34", HOST_NS), false),
                Arguments.of("a java process that runs", new Proc(200, 1, JAVA, "running", "user:[4026532900]"), false),
                Arguments.of("a java process waiting elsewhere", new Proc(200, 1, JAVA, "202", "user:[4026532900]"), false),
                Arguments.of("a holder whose parent is gone from the listing", new Proc(200, 999, JAVA, "34", "user:[4026532900]"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlyHoldersOfADeadAgentAreStrays(String name, Proc candidate, boolean stray) {
        assertThat(StrayHolders.strays(List.of(INIT, AGENT, candidate), JAVA, HOST_NS)).isEqualTo(stray ? List.of(200L) : List.of());
    }
}
