package dev.berth.agent.net;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Joins two connected sockets: what one side sends, the other receives, in both directions at
 * once, each direction on a platform thread of its own (a splice blocks in the kernel, which would
 * pin a virtual thread's carrier). End of stream on one side half-closes the other
 * (shutdownOutput), so a client that finishes sending still gets its reply; an error on either
 * side cuts both. Bytes move with splice(2) when the JVM lets us see the descriptors, and through a
 * heap buffer otherwise (see {@link ChannelDescriptor}) or when one side is a {@link ByteStream}
 * (a TLS connection of the agents' peer link).
 */
public final class Relay {
    private static final long STACK_BYTES = 256 * 1024;

    private final Transfer transfer;
    private final Transfer fallback = new Copier();

    Relay(Transfer transfer) {
        this.transfer = transfer;
    }

    /** Splices in the kernel where it can, and copies where it cannot. */
    public static Relay splicing() {
        return new Relay(Splicer.system(Splicer.PIPE_BYTES));
    }

    /** Splices through pipes of {@code pipeBytes} (benchmarks compare sizes). */
    public static Relay splicing(int pipeBytes) {
        return new Relay(Splicer.system(pipeBytes));
    }

    /** Copies through heap buffers, as the agent did before splice. */
    public static Relay copying() {
        return new Relay(new Copier());
    }

    /**
     * Starts relaying between two connected, blocking channels. From here the link owns both: it
     * closes them once both directions have ended.
     */
    public Link start(SocketChannel a, SocketChannel b) {
        var link = new Link(a, b);
        link.begin(this);
        return link;
    }

    /** Like {@link #start(SocketChannel, SocketChannel)}, copying: a stream has no descriptor to splice. */
    public Link start(SocketChannel a, ByteStream b) {
        var link = new Link(a, b);
        link.begin(this);
        return link;
    }

    /** Either of the two, as the caller holds it: a socket channel or a byte stream. */
    public Link start(SocketChannel a, ByteChannel b) {
        return switch (b) {
            case SocketChannel socket -> start(a, socket);
            case ByteStream stream -> start(a, stream);
            default -> throw new IllegalArgumentException("a relay joins socket channels and byte streams, not " + b.getClass());
        };
    }

    /** A relayed pair: a socket and a socket or byte stream. */
    public static final class Link {
        private final SocketChannel a;
        private final ByteChannel b;
        private final AtomicInteger running = new AtomicInteger(2);
        private final AtomicInteger spliced = new AtomicInteger();
        private final CountDownLatch done = new CountDownLatch(1);

        private Link(SocketChannel a, ByteChannel b) {
            this.a = a;
            this.b = b;
        }

        private void begin(Relay relay) {
            noDelay(a);
            if (b instanceof SocketChannel socket) noDelay(socket);
            var builder = Thread.ofPlatform().daemon().stackSize(STACK_BYTES).name("relay");
            builder.start(() -> direction(relay, a, b));
            builder.start(() -> direction(relay, b, a));
        }

        private void direction(Relay relay, ByteChannel from, ByteChannel to) {
            try {
                if (from instanceof SocketChannel f && to instanceof SocketChannel t) {
                    try {
                        relay.transfer.move(f, t);
                        if (relay.transfer instanceof Splicer) spliced.incrementAndGet();
                    } catch (Transfer.Unavailable e) {
                        relay.fallback.move(f, t);
                    }
                } else {
                    Copier.copy(from, to);
                }
                switch (to) {
                    case SocketChannel socket -> socket.shutdownOutput();
                    case ByteStream stream -> stream.shutdownOutput();
                    default -> throw new IllegalStateException("no way to half-close " + to.getClass());
                }
            } catch (IOException | RuntimeException e) {
                cut(); // the other direction must not wait for bytes that will never come
            } finally {
                if (running.decrementAndGet() == 0) {
                    closeQuietly(a);
                    closeQuietly(b);
                    done.countDown();
                }
            }
        }

        /**
         * Ends both directions now: shuts both sockets down both ways, which wakes a thread
         * waiting in either (closing a descriptor would not, and its number could be reused while
         * a splice still holds it). The channels are closed once the threads have left.
         */
        public void cut() {
            shutdownQuietly(a);
            if (b instanceof SocketChannel socket) {
                shutdownQuietly(socket);
            } else {
                closeQuietly(b); // a stream is copied, never spliced: closing it wakes its threads and no descriptor is held
            }
        }

        /** Waits until both directions have ended and both channels are closed. */
        public void await() throws InterruptedException {
            done.await();
        }

        /** Like {@link #await()}, giving up after {@code timeout}; true when the link has ended. */
        public boolean await(Duration timeout) throws InterruptedException {
            return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** How many of the two directions moved their bytes with splice(2) (known once they end). */
        public int splicedDirections() {
            return spliced.get();
        }

        /**
         * Sends what the relay writes at once: it writes only what it read, and with Nagle on, the
         * tail of a message cut in two by a read would wait for an ACK the receiver delays until
         * it has the whole message (40 ms on Linux). The endpoints' own sockets keep their choice.
         */
        private static void noDelay(SocketChannel c) {
            try {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            } catch (IOException | RuntimeException gone) {
                // closed already: the relay ends at once
            }
        }

        private static void shutdownQuietly(SocketChannel c) {
            try {
                c.shutdownInput();
            } catch (IOException | RuntimeException gone) {
                // already closed or never connected
            }
            try {
                c.shutdownOutput();
            } catch (IOException | RuntimeException gone) {
                // already closed or never connected
            }
        }

        private static void closeQuietly(ByteChannel c) {
            try {
                c.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }
}
