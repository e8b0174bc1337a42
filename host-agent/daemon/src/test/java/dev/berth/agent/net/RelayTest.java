package dev.berth.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.sys.SyscallPort;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The relay between a client and a server, each end a real loopback TCP connection: the test
 * talks through {@code client} and {@code server}, the relay joins the two inner ends.
 */
class RelayTest {
    private static final long BULK_BYTES = 64L << 20;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<SocketChannel> sockets = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        threads.shutdownNow();
        for (SocketChannel s : sockets) s.close();
    }

    /** The two ends of one loopback connection. */
    private SocketChannel[] pair() throws IOException {
        try (var listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            var connecting = SocketChannel.open(listener.getLocalAddress());
            var accepted = listener.accept();
            sockets.add(connecting);
            sockets.add(accepted);
            return new SocketChannel[] {connecting, accepted};
        }
    }

    private record Ends(SocketChannel client, SocketChannel server, Relay.Link link) {
    }

    private Ends relayed(Relay relay) throws IOException {
        var front = pair();
        var back = pair();
        return new Ends(front[0], back[1], relay.start(front[1], back[0]));
    }

    @Test
    void splicesSixtyFourMebibytesBothWaysAtOnceIntact() throws Exception {
        var ends = relayed(Relay.splicing());
        bothWays(ends);
        assertThat(ends.link().splicedDirections()).as("both directions moved in the kernel").isEqualTo(2);
    }

    @Test
    void copiesSixtyFourMebibytesBothWaysAtOnceIntact() throws Exception {
        var ends = relayed(Relay.copying());
        bothWays(ends);
        assertThat(ends.link().splicedDirections()).isZero();
    }

    @Test
    void fallsBackToCopyingWhenTheKernelRefusesSplice() throws Exception {
        var refusing = new Splicer(ChannelDescriptor::of, (in, out, len, flags) -> {
            throw new SyscallPort.ErrnoException("splice", SyscallPort.ENOSYS);
        }, Splicer.PIPE_BYTES);
        var ends = relayed(new Relay(refusing));
        bothWays(ends);
        assertThat(ends.link().splicedDirections()).isZero();
    }

    @Test
    void fallsBackToCopyingWithoutDescriptors() throws Exception {
        var blind = new Splicer(channel -> OptionalInt.empty(), SyscallPort::splice, Splicer.PIPE_BYTES);
        var ends = relayed(new Relay(blind));
        exchange(ends, "ping", "pong");
        assertThat(ends.link().splicedDirections()).isZero();
    }

    @Test
    void aClientThatStopsSendingStillGetsTheReply() throws Exception {
        var ends = relayed(Relay.splicing());
        exchange(ends, "GET / HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\n\r\nhello");
        assertThat(ends.link().await(Duration.ofSeconds(5))).isTrue();
        assertThat(ends.link().splicedDirections()).isEqualTo(2);
    }

    @Test
    void aResetPeerClosesBothSides() throws Exception {
        var ends = relayed(Relay.splicing());
        write(ends.client(), "half a request");
        assertThat(read(ends.server(), 14)).isEqualTo("half a request");
        ends.client().setOption(StandardSocketOptions.SO_LINGER, 0);
        ends.client().close(); // RST

        assertThat(ends.link().await(Duration.ofSeconds(5))).as("the relay let go of both sockets").isTrue();
        ends.server().configureBlocking(true);
        var buffer = ByteBuffer.allocate(16);
        int n;
        try {
            n = ends.server().read(buffer);
        } catch (IOException reset) {
            n = -1;
        }
        assertThat(n).as("the server sees the connection end").isEqualTo(-1);
    }

    @Test
    void cuttingWakesIdleDirectionsAndEndsTheConnection() throws Exception {
        var fresh = relayed(Relay.splicing());
        write(fresh.client(), "a"); // one direction has spliced and waits again, the other waits from the start
        assertThat(read(fresh.server(), 1)).isEqualTo("a");
        fresh.link().cut();
        assertThat(fresh.link().await(Duration.ofSeconds(5))).isTrue();
        assertThat(fresh.client().read(ByteBuffer.allocate(1))).isEqualTo(-1);
        assertThat(fresh.server().read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }

    /** A byte stream that is no socket channel (as the peer link's TLS is not): the relay must copy it. */
    private record Stream(SocketChannel inner) implements ByteStream {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return inner.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return inner.write(src);
        }

        @Override
        public void shutdownOutput() throws IOException {
            inner.shutdownOutput();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    private Ends relayedToStream() throws IOException {
        var front = pair();
        var back = pair();
        return new Ends(front[0], back[1], Relay.splicing().start(front[1], (java.nio.channels.ByteChannel) new Stream(back[0])));
    }

    @Test
    void aByteStreamIsCopiedBothWaysAtOnceIntact() throws Exception {
        var ends = relayedToStream();
        bothWays(ends);
        assertThat(ends.link().splicedDirections()).as("a stream has no descriptor to splice").isZero();
    }

    @Test
    void aClientThatStopsSendingToAByteStreamStillGetsTheReply() throws Exception {
        var ends = relayedToStream();
        exchange(ends, "GET / HTTP/1.0\r\n\r\n", "HTTP/1.0 200 OK\r\n\r\nhello");
        assertThat(ends.link().await(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void cuttingALinkToAByteStreamClosesItAndEndsTheConnection() throws Exception {
        var ends = relayedToStream();
        write(ends.client(), "a");
        assertThat(read(ends.server(), 1)).isEqualTo("a");
        ends.link().cut();
        assertThat(ends.link().await(Duration.ofSeconds(5))).isTrue();
        assertThat(ends.client().read(ByteBuffer.allocate(1))).isEqualTo(-1);
        assertThat(ends.server().read(ByteBuffer.allocate(1))).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource({"22, true", "38, true", "95, true", "4, false", "11, false", "32, false", "104, false"})
    void onlyNotSupportedErrorsFallBack(int errno, boolean fallsBack) {
        assertThat(Splicer.unsupported(errno)).isEqualTo(fallsBack);
    }

    /** The client sends a request and half-closes; the server reads to EOF, then replies. */
    private void exchange(Ends ends, String request, String reply) throws Exception {
        write(ends.client(), request);
        ends.client().shutdownOutput();
        assertThat(readToEnd(ends.server())).isEqualTo(request);
        write(ends.server(), reply);
        ends.server().shutdownOutput();
        assertThat(readToEnd(ends.client())).isEqualTo(reply);
    }

    private void bothWays(Ends ends) throws Exception {
        Future<Long> up = threads.submit(send(ends.client(), 1));
        Future<Long> down = threads.submit(send(ends.server(), 2));
        Future<Long> upArrived = threads.submit(checksum(ends.server()));
        Future<Long> downArrived = threads.submit(checksum(ends.client()));
        assertThat(upArrived.get(120, TimeUnit.SECONDS)).as("client to server").isEqualTo(up.get());
        assertThat(downArrived.get(120, TimeUnit.SECONDS)).as("server to client").isEqualTo(down.get());
        assertThat(ends.link().await(Duration.ofSeconds(5))).isTrue();
    }

    /** Sends BULK_BYTES of a seeded pattern, half-closes, returns its CRC32. */
    private static Callable<Long> send(SocketChannel to, long seed) {
        return () -> {
            var crc = new CRC32();
            var random = new java.util.Random(seed);
            byte[] block = new byte[64 * 1024 + 7]; // not a power of two: chunk edges move around
            long left = BULK_BYTES;
            while (left > 0) {
                random.nextBytes(block);
                int n = (int) Math.min(block.length, left);
                crc.update(block, 0, n);
                var buffer = ByteBuffer.wrap(block, 0, n);
                while (buffer.hasRemaining()) to.write(buffer);
                left -= n;
            }
            to.shutdownOutput();
            return crc.getValue();
        };
    }

    /** Reads to EOF; the CRC32 of what came, checked to be BULK_BYTES long. */
    private static Callable<Long> checksum(SocketChannel from) {
        return () -> {
            var crc = new CRC32();
            var buffer = ByteBuffer.allocate(128 * 1024);
            long total = 0;
            int n;
            while ((n = from.read(buffer)) >= 0) {
                crc.update(buffer.flip());
                total += n;
                buffer.clear();
            }
            assertThat(total).isEqualTo(BULK_BYTES);
            return crc.getValue();
        };
    }

    private static void write(SocketChannel to, String text) throws IOException {
        var buffer = StandardCharsets.UTF_8.encode(text);
        while (buffer.hasRemaining()) to.write(buffer);
    }

    private static String read(SocketChannel from, int bytes) throws IOException {
        var buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining() && from.read(buffer) >= 0) {
            // until the expected bytes are in
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    private static String readToEnd(SocketChannel from) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        var buffer = ByteBuffer.allocate(4096);
        while (from.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
