package dev.berth.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** /proc/PID/net/dev of a container's namespace: loopback left out, the rest summed. */
class NetDevTest {
    private static final String HEADER = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            """;

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("loopback only", HEADER + "    lo:    5000      50    0    0    0     0          0         0     5000      50    0    0    0     0       0          0\n",
                        new NetDev(0, 0)),
                Arguments.of("one veth", HEADER
                        + "    lo:    5000      50    0    0    0     0          0         0     5000      50    0    0    0     0       0          0\n"
                        + "  eth0: 1048576    900    0    0    0     0          0         0    20480     100    0    0    0     0       0          0\n",
                        new NetDev(1_048_576, 20_480)),
                Arguments.of("two interfaces, no space after the colon", HEADER
                        + "  eth0:100 1 0 0 0 0 0 0 200 2 0 0 0 0 0 0\n"
                        + "  eth1: 300 3 0 0 0 0 0 0 400 4 0 0 0 0 0 0\n",
                        new NetDev(400, 600)),
                Arguments.of("no interfaces at all", HEADER, new NetDev(0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void parses(String name, String text, NetDev expected) {
        assertThat(NetDev.parse(text)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aShortLineIsAnError() {
        assertThatThrownBy(() -> NetDev.parse(HEADER + "eth0: 1 2 3\n")).hasMessageContaining("eth0 has 3 columns");
    }
}
