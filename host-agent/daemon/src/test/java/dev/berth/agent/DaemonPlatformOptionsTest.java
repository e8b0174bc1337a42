package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.link.PlatformLink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's platform options are checked before anything starts; the join itself is in ui-tests' AgentJoinTest. */
class DaemonPlatformOptionsTest {
    @TempDir
    Path state;

    private String usageError(String... daemonArgs) {
        var err = new ByteArrayOutputStream();
        var argv = new ArrayList<>(List.of("--state-dir", state.toString(), "daemon"));
        argv.addAll(List.of(daemonArgs));
        int code = BerthAgent.execute(argv, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFirstJoinNeedsAJoinToken() {
        assertThat(usageError("--platform", "http://127.0.0.1:8080"))
                .contains("--platform needs --join-token TOKEN the first time")
                .contains(state.resolve("platform/credential.json").toString());
    }

    @Test
    void aJoinTokenNeedsAPlatform() {
        assertThat(usageError("--join-token", "berth-join_secret")).contains("--join-token needs --platform URL")
                .doesNotContain("berth-join_secret");
    }

    @Test
    void thePlatformIsAnHttpsUrl() {
        assertThat(usageError("--platform", "ftp://example.com", "--join-token", "t")).contains("must be an https:// URL");
        assertThat(usageError("--platform", "not a url", "--join-token", "t")).contains("must be an https:// URL");
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedBeforeAnythingIsSent() {
        assertThat(usageError("--platform", "http://203.0.113.7:8080", "--join-token", "berth-join_secret"))
                .contains("--platform http://203.0.113.7:8080 is plain http:// to another machine")
                .contains("use https://203.0.113.7:8080").doesNotContain("berth-join_secret");
        assertThat(usageError("--platform", "http://berth.example.com/", "--join-token", "t"))
                .contains("use https://berth.example.com/");
        assertThat(PlatformLink.hasCredential(state)).isFalse();
        // Loopback stays allowed over http (./berth start), anything else over https.
        for (String allowed : List.of("http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "https://203.0.113.7",
                "https://berth.example.com:8443/")) {
            assertThat(DaemonCommand.parse(state, List.of("--platform", allowed, "--join-token", "t")).platforms().getFirst())
                    .hasToString(allowed);
        }
    }

    @Test
    void severalInstancesAreGivenSeparatedByCommasEachCheckedNoneTwice() {
        assertThat(DaemonCommand.parse(state, List.of("--platform", "https://a.example.com, https://b.example.com/berth",
                "--join-token", "t")).platforms()).extracting(java.net.URI::toString)
                .containsExactly("https://a.example.com", "https://b.example.com/berth");
        assertThat(usageError("--platform", "https://a.example.com,http://203.0.113.7:8080", "--join-token", "t"))
                .contains("--platform http://203.0.113.7:8080 is plain http:// to another machine");
        assertThat(usageError("--platform", "https://a.example.com,ftp://b", "--join-token", "t"))
                .contains("must be an https:// URL, not 'ftp://b'");
        assertThat(usageError("--platform", "https://a.example.com,https://A.example.com:443/", "--join-token", "t"))
                .contains("--platform names https://A.example.com:443/ twice (also as https://a.example.com)");
        assertThat(usageError("--platform", "http://127.0.0.1:1,,http://127.0.0.1:2", "--join-token", "t"))
                .contains("with none empty");
        assertThat(usageError("--platform", "http://127.0.0.1:1", "--platform", "http://127.0.0.1:2", "--join-token", "t"))
                .contains("give --platform once");
    }

    @Test
    void heartbeatSecondsAreBounded() {
        assertThat(usageError("--platform", "http://127.0.0.1:1", "--join-token", "t", "--heartbeat-seconds", "0"))
                .contains("--heartbeat-seconds must be");
        assertThat(usageError("--heartbeat-seconds", "soon")).contains("--heartbeat-seconds must be");
    }

    @Test
    void thePeerListenerIsOffUnlessGivenAHostAndPortWithAPlatform() {
        assertThat(DaemonCommand.parse(state, List.of("--platform", "http://127.0.0.1:1", "--join-token", "t")).peerListen()).isNull();
        var listen = DaemonCommand.parse(state, List.of("--platform", "http://127.0.0.1:1", "--join-token", "t",
                "--peer-listen", "127.0.0.1:7443")).peerListen();
        assertThat(listen.getHostString()).isEqualTo("127.0.0.1");
        assertThat(listen.getPort()).isEqualTo(7443);
        assertThat(DaemonCommand.parse(state, List.of("--platform", "http://127.0.0.1:1", "--join-token", "t",
                "--peer-listen", "[::1]:7443")).peerListen().getPort()).isEqualTo(7443);
        assertThat(usageError("--platform", "http://127.0.0.1:1", "--join-token", "t", "--peer-listen", "7443"))
                .contains("--peer-listen: peer address '7443' is not host:port");
        assertThat(usageError("--platform", "http://127.0.0.1:1", "--join-token", "t", "--peer-listen", "127.0.0.1:70000"))
                .contains("not 1-65535");
        assertThat(usageError("--peer-listen", "127.0.0.1:7443")).contains("--peer-listen needs --platform URL");
    }

    @Test
    void thePeerAddressDefaultsToTheListenAddressUnlessThatIsAWildcard() {
        assertThat(peerAddress("--peer-listen", "127.0.0.1:7443")).isEqualTo("127.0.0.1:7443");
        assertThat(peerAddress("--peer-listen", "[::1]:7443")).isEqualTo("[0:0:0:0:0:0:0:1]:7443");
        assertThat(peerAddress("--peer-listen", "0.0.0.0:7443")).as("other hosts cannot dial a wildcard").isNull();
        assertThat(peerAddress("--peer-listen", "0.0.0.0:7443", "--peer-address", "peer.example:7443")).isEqualTo("peer.example:7443");
        assertThat(peerAddress("--peer-address", "peer.example:7443", "--peer-listen", "127.0.0.1:7443")).isEqualTo("peer.example:7443");
        assertThat(peerAddress()).isNull();
    }

    private String peerAddress(String... options) {
        var args = new java.util.ArrayList<>(List.of("--platform", "http://127.0.0.1:1", "--join-token", "t"));
        args.addAll(List.of(options));
        return DaemonCommand.parse(state, args).peerAddress();
    }

    @Test
    void theJoinTokenComesOnceFromTheCommandLineOrAFile() throws Exception {
        assertThat(usageError("--platform", "http://127.0.0.1:1", "--join-token", "t", "--join-token-file", "/tmp/x"))
                .contains("--join-token or --join-token-file, not both");
        assertThat(usageError("--join-token-file", "/tmp/x")).contains("--join-token-file needs --platform URL");
        Path missing = state.resolve("no-token");
        assertThat(usageError("--platform", "http://127.0.0.1:1", "--join-token-file", missing.toString()))
                .contains("--join-token-file " + missing + " cannot be read");
        Path empty = java.nio.file.Files.writeString(state.resolve("empty-token"), "\n");
        assertThat(usageError("--platform", "http://127.0.0.1:1", "--join-token-file", empty.toString()))
                .contains("--join-token-file " + empty + " is empty");
        assertThat(usageError("--platform", "http://127.0.0.1:8080")).contains("(or --join-token-file PATH)");
    }

    @Test
    void aTokenFromAFileIsReadButNeverEchoed() throws Exception {
        Path file = java.nio.file.Files.writeString(state.resolve("token"), "berth-join_fromthefile\nsecond line ignored\n");
        var options = DaemonCommand.parse(state, List.of("--platform", "http://127.0.0.1:1", "--join-token-file", file.toString()));
        assertThat(options.joinToken()).isEqualTo("berth-join_fromthefile");
        assertThat(options.toString()).doesNotContain("berth-join_");
        assertThat(usageError("--platform", "ftp://x", "--join-token-file", file.toString())).doesNotContain("berth-join_fromthefile");
    }

    @Test
    void thePortRangeAndAdvertiseAddressAreChecked() {
        assertThat(usageError("--port-range", "30000")).contains("--port-range: port range '30000' must be LOW-HIGH");
        assertThat(usageError("--port-range", "3-2")).contains("--port-range: a port range must be LOW-HIGH with 1 <= LOW <= HIGH <= 65535");
        assertThat(usageError("--advertise-address", " ")).contains("--advertise-address needs a host name or address");
        assertThat(usageError("--bogus", "1")).contains("--port-range").contains("--join-token-file").contains("not --bogus");
        var options = DaemonCommand.parse(state, List.of("--port-range", "31000-31099", "--advertise-address", "node-1.example"));
        assertThat(options.portRange()).isEqualTo(new dev.berth.agent.state.PortRange(31000, 31099));
        assertThat(options.advertiseAddress()).isEqualTo("node-1.example");
        assertThat(DaemonCommand.parse(state, List.of()).portRange()).isEqualTo(dev.berth.agent.state.PortRange.DEFAULT);
    }

    @Test
    void containerNetworkOptionsAreCheckedBeforeAnythingStarts() {
        var o = DaemonCommand.parse(state, List.of("--container-subnet", "198.51.100.64/26", "--dns", "203.0.113.53", "--dns", "2001:db8::53"));
        assertThat(o.network().subnet().toString()).isEqualTo("198.51.100.64/26");
        assertThat(o.network().dns()).extracting(java.net.InetAddress::getHostAddress).containsExactly("203.0.113.53", "2001:db8:0:0:0:0:0:53");
        assertThat(DaemonCommand.parse(state, List.of()).network().subnet().toString()).isEqualTo("10.213.0.0/16");
        assertThat(usageError("--container-subnet", "127.0.0.0/8")).contains("--container-subnet: '127.0.0.0/8' is a loopback");
        assertThat(usageError("--container-subnet", "10.213.0.0")).contains("--container-subnet: '10.213.0.0' needs a prefix length");
        assertThat(usageError("--dns", "dns.example.com")).contains("--dns: 'dns.example.com' is not an IP address");
    }
}
