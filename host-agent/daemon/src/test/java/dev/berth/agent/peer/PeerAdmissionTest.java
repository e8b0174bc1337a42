package dev.berth.agent.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.protocol.ConnectGrant;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Who may reach which replica, and what a request line may be: pure, table-driven. */
class PeerAdmissionTest {
    private static final PeerServer.Dialer NOWHERE = port -> {
        throw new IOException("not dialled in this test");
    };
    private static final PeerServer.Replica API = new PeerServer.Replica("team.api", NOWHERE);
    private static final List<ConnectGrant> GRANTS = List.of(
            new ConnectGrant("team.api", "http", "team.web", List.of("h-a", "h-b"), Map.of("api-1", 8080, "api-2", 8081)),
            new ConnectGrant("team.api", "admin", "team.ops", List.of("h-c"), Map.of("api-1", 9090)),
            new ConnectGrant("team.api", "metrics", "team.web", List.of("h-a")));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("granted host and app", "http", "team.web", "h-a", Optional.of(API), 8080),
                Arguments.of("another granted host", "http", "team.web", "h-b", Optional.of(API), 8080),
                Arguments.of("host not among the consumer hosts", "http", "team.web", "h-c", Optional.of(API), "no grant"),
                Arguments.of("consumer app not granted", "http", "team.ops", "h-a", Optional.of(API), "no grant"),
                Arguments.of("granted elsewhere, other port", "admin", "team.web", "h-a", Optional.of(API), "no grant"),
                Arguments.of("other port, its own grant and number", "admin", "team.ops", "h-c", Optional.of(API), 9090),
                Arguments.of("a grant without the replica's number", "metrics", "team.web", "h-a", Optional.of(API), "no port number"),
                Arguments.of("not a replica here", "http", "team.web", "h-a", Optional.empty(), "is no replica"),
                Arguments.of("a replica of an app without grants", "http", "team.web", "h-a",
                        Optional.of(new PeerServer.Replica("team.db", NOWHERE)), "no grant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, String port, String consumer, String host, Optional<PeerServer.Replica> replica, Object expected) {
        var decision = PeerAdmission.decide(new PeerRequest("api-1", port, consumer), host, replica, GRANTS);
        if (expected instanceof Integer number) {
            assertThat(decision).isEqualTo(new PeerAdmission.Decision.Admitted(replica.orElseThrow(), number));
        } else {
            assertThat(decision).isInstanceOfSatisfying(PeerAdmission.Decision.Refused.class,
                    r -> assertThat(r.reason()).contains((String) expected));
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
