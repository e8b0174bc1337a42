package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.cli.UsageException;
import dev.berth.agent.edge.EdgeSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --edge}, {@code --edge-http}, {@code --edge-https}, {@code --edge-address} and {@code --edge-cpus}. */
class EdgeOptionsTest {
    private static final Path STATE = Path.of("/nonexistent-berth-state");

    static DaemonCommand.Options parse(String... args) {
        var all = new ArrayList<>(List.of("--platform", "https://platform.example.com", "--join-token", "t"));
        all.addAll(List.of(args));
        return DaemonCommand.parse(STATE, all);
    }

    @Test
    void offUnlessAsked() {
        assertThat(parse().edge()).isNull();
    }

    @Test
    void defaultsToPorts80And443AndTheAdvertiseAddress() {
        var edge = parse("--edge").edge();
        assertThat(edge.http()).isEqualTo(EdgeSettings.DEFAULT_HTTP);
        assertThat(edge.https()).isEqualTo(EdgeSettings.DEFAULT_HTTPS);
        assertThat(edge.settings("worker-1.example.com").address()).isEqualTo("worker-1.example.com");
        assertThat(edge.cpus()).isEqualTo(EdgeSettings.defaultCpus(Runtime.getRuntime().availableProcessors()));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 1", "3, 1", "4, 2", "16, 8"})
    void takesHalfTheCoresByDefaultAndAtLeastOne(int cores, int cpus) {
        assertThat(EdgeSettings.defaultCpus(cores)).isEqualTo(cpus);
    }

    @Test
    void takesTheEdgesCpus() {
        assertThat(parse("--edge", "--edge-cpus", "6").edge().settings("x").cpus()).isEqualTo(6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1025", "two", ""})
    void refusesCpusThatAreNotACount(String value) {
        assertThatThrownBy(() -> parse("--edge", "--edge-cpus", value)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--edge-cpus must be a number of CPUs from 1 to 1024, not '" + value + "'");
    }

    @Test
    void takesListenAddressesAndTheAddressAnywhereAmongTheOptions() {
        var edge = parse("--edge-http", "127.0.0.1:18080", "--edge", "--edge-https", "[::1]:18443", "--edge-address", "203.0.113.5",
                "--heartbeat-seconds", "5").edge();
        assertThat(edge.http()).isEqualTo(new EdgeSettings.Listen("127.0.0.1", 18080));
        assertThat(edge.https()).isEqualTo(new EdgeSettings.Listen("::1", 18443));
        assertThat(edge.https().toString()).isEqualTo("[::1]:18443");
        assertThat(edge.settings("ignored").address()).isEqualTo("203.0.113.5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"80", "example.com:80", "127.0.0.1:0", "127.0.0.1:65536", "::1:443", "127.0.0.1:80/x", ""})
    void refusesListenAddressesThatAreNotAnIpAndPort(String value) {
        assertThatThrownBy(() -> parse("--edge", "--edge-https", value)).isInstanceOf(UsageException.class)
                .hasMessageContaining("--edge-https").hasMessageContaining("ADDRESS:PORT");
    }

    @Test
    void refusesEdgeOptionsWithoutEdgeAnEdgeWithoutPlatformAndOnePortForBoth() {
        assertThatThrownBy(() -> parse("--edge-address", "203.0.113.5")).hasMessageContaining("need --edge");
        assertThatThrownBy(() -> parse("--edge-cpus", "2")).hasMessageContaining("need --edge");
        assertThatThrownBy(() -> DaemonCommand.parse(STATE, List.of("--edge"))).hasMessageContaining("--edge needs --platform");
        assertThatThrownBy(() -> parse("--edge", "--edge-http", "127.0.0.1:8080", "--edge-https", "127.0.0.1:8080"))
                .hasMessageContaining("must differ");
    }
}
