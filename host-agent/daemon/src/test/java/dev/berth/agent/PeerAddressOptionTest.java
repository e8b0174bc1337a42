package dev.berth.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.cli.UsageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --peer-address host:port}: what heartbeats report as where other agents reach this one. */
class PeerAddressOptionTest {
    private static final Path STATE = Path.of("/nonexistent-berth-state");

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.11:7443", "worker-1.example.com:7443", "[2001:db8::1]:1", "node:65535"})
    void takes(String address) {
        assertThat(DaemonCommand.parse(STATE, List.of("--peer-address", address)).peerAddress()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.11", "node:0", "node:65536", "node:x", ":7443", "user@node:7443", "node:7443/x",
            "2001:db8::1:7443", "", "node :7443"})
    void refuses(String address) {
        assertThatThrownBy(() -> DaemonCommand.parse(STATE, List.of("--peer-address", address)))
                .isInstanceOf(UsageException.class).hasMessageContaining("--peer-address must be host:port");
    }

    @Test
    void noneByDefault() {
        assertThat(DaemonCommand.parse(STATE, List.of()).peerAddress()).isNull();
    }
}
