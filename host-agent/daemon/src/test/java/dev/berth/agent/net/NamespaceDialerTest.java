package dev.berth.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.agent.sys.NamespaceThread;
import dev.berth.agent.sys.SyscallPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Dialing into a network namespace the test makes (loopback only, nothing leaves it): every
 * dialer of the agent shares one thread, whatever the number of containers, and a dialer keeps
 * the namespace it was opened for.
 */
class NamespaceDialerTest {
    @Test
    void manyDialersShareOneThreadAndReachTheirNamespace() throws Exception {
        Assumptions.assumeTrue(SyscallPort.effectiveUid() == 0 && SyscallPort.canHoldNamespaces(), "needs root on x86-64");
        var dialers = new ArrayList<NamespaceDialer>();
        try (var holder = SyscallPort.holdNamespaces(SyscallPort.CLONE_NEWNET)) {
            Path netns = Path.of("/proc", Long.toString(holder.pid()), "ns", "net");
            ServerSocketChannel server = NamespaceThread.call(netns, "dialer-test-listen", () -> {
                SyscallPort.interfaceUp("lo");
                return ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
            });
            try (server) {
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                for (int i = 0; i < 40; i++) dialers.add(new NamespaceDialer(netns, "c-" + i));
                for (var dialer : dialers) roundTrip(dialer, server, port);

                long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("netns")).count();
                assertThat(threads).as("threads dialing into namespaces").isLessThanOrEqualTo(1);

                // The namespace's last process ends; the dialer's descriptor still holds it (as the listener's socket does).
                holder.close();
                roundTrip(dialers.getFirst(), server, port);

                dialers.getFirst().close();
                assertThatThrownBy(() -> dialers.getFirst().dial(port, Duration.ofSeconds(5))).isInstanceOf(IOException.class)
                        .hasMessageContaining("closed");
                // This thread never entered the namespace.
                assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")))
                        .isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/ns/net")));
            }
        } finally {
            dialers.forEach(NamespaceDialer::close);
        }
    }

    @Test
    void aNamespaceThatCannotBeOpenedFailsEachDialWithTheReason() {
        try (var dialer = new NamespaceDialer(Path.of("/proc/0/ns/net"), "gone")) {
            assertThatThrownBy(() -> dialer.dial(80, Duration.ofSeconds(1))).isInstanceOf(IOException.class)
                    .hasMessageContaining("gone").hasMessageContaining("/proc/0/ns/net");
        }
    }

    private static void roundTrip(NamespaceDialer dialer, ServerSocketChannel server, int port) throws IOException {
        try (var client = dialer.dial(port, Duration.ofSeconds(5)); var accepted = server.accept()) {
            client.write(ByteBuffer.wrap(new byte[] {42}));
            var in = ByteBuffer.allocate(1);
            assertThat(accepted.read(in)).isEqualTo(1);
            assertThat(in.get(0)).isEqualTo((byte) 42);
        }
    }
}
