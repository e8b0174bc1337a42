package dev.berth.agent.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.protocol.ConnectGrant;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may reach which replica, and what a request line may be: pure, table-driven. */
class PeerAdmissionTest {
    private static final PeerServer.Target API = new PeerServer.Target("team.api", InetSocketAddress.createUnresolved("replica", 80));
    private static final List<ConnectGrant> GRANTS = List.of(
            new ConnectGrant("team.api", "http", "team.web", List.of("h-a", "h-b")),
            new ConnectGrant("team.api", "admin", "team.ops", List.of("h-c")));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("granted host and app", "http", "team.web", "h-a", Optional.of(API), null),
                Arguments.of("another granted host", "http", "team.web", "h-b", Optional.of(API), null),
                Arguments.of("host not among the consumer hosts", "http", "team.web", "h-c", Optional.of(API), "no grant"),
                Arguments.of("consumer app not granted", "http", "team.ops", "h-a", Optional.of(API), "no grant"),
                Arguments.of("granted elsewhere, other port", "admin", "team.web", "h-a", Optional.of(API), "no grant"),
                Arguments.of("other port, its own grant", "admin", "team.ops", "h-c", Optional.of(API), null),
                Arguments.of("not a replica here", "http", "team.web", "h-a", Optional.empty(), "is no replica"),
                Arguments.of("a replica of an app without grants", "http", "team.web", "h-a",
                        Optional.of(new PeerServer.Target("team.db", API.address())), "no grant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, String port, String consumer, String host, Optional<PeerServer.Target> replica, String refusal) {
        var decision = PeerAdmission.decide(new PeerRequest("api-1", port, consumer), host, replica, GRANTS);
        if (refusal == null) {
            assertThat(decision).isEqualTo(new PeerAdmission.Decision.Admitted(replica.orElseThrow()));
        } else {
            assertThat(decision).isInstanceOfSatisfying(PeerAdmission.Decision.Refused.class,
                    r -> assertThat(r.reason()).contains(refusal));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{}", "[]", "not json", "{\"container\":\"a\",\"port\":\"p\"}",
            "{\"container\":\"\",\"port\":\"p\",\"consumerApp\":\"c\"}",
            "{\"container\":\"a\\u0000\",\"port\":\"p\",\"consumerApp\":\"c\"}",
            "{\"container\":\"a\",\"port\":\"p\",\"consumerApp\":\"c\",\"extra\":1}"})
    void aLineThatIsNoRequestIsRefused(String line) {
        assertThatThrownBy(() -> PeerRequest.parse(line)).isInstanceOf(IOException.class).hasMessageStartingWith("not a peer request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:7443", "[::1]:7443", "peer.example:1"})
    void peerAddressesAreHostAndPort(String address) throws IOException {
        assertThat(PeerClient.address(address).getPort()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"7443", ":7443", "host:", "host:port", "host:0", "host:65536"})
    void otherPeerAddressesAreRefused(String address) {
        assertThatThrownBy(() -> PeerClient.address(address)).isInstanceOf(IOException.class).hasMessageContaining(address);
    }
}
