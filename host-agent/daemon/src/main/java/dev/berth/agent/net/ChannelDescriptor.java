package dev.berth.agent.net;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.SocketChannel;
import java.util.OptionalInt;

/**
 * The file descriptor number behind a JDK {@link SocketChannel}, so {@link Splicer} can hand it to
 * splice(2). The JDK offers no public way to get it; the ways considered:
 * <ul>
 * <li>Reading the private {@code fd} field of the channel's {@code FileDescriptor} needs
 *     {@code --add-opens java.base/java.io}: it opens private state of a core class. Rejected.</li>
 * <li>Scanning {@code /proc/self/fd} for the socket whose getsockname/getpeername match the
 *     channel's addresses needs no flag, but costs a system call per open descriptor on every
 *     connection, and is ambiguous: a container's loopback 4-tuple can repeat one in another
 *     network namespace (every backend connection is 127.0.0.1 to 127.0.0.1). Rejected.</li>
 * <li>Creating every socket with libc (socket, bind, listen, accept4, connect) gives the relay its
 *     own descriptors, but moves the listener, the dialer's connect timeout, address handling and
 *     every other user of a dialed channel (health probes) onto raw descriptors, a far larger
 *     native surface than the one system call we need. Rejected.</li>
 * <li>Chosen: {@code sun.nio.ch.SelChImpl.getFDVal()}, the public method of the interface every
 *     JDK socket channel implements for its selectors (unchanged since JDK 1.4). It is reachable
 *     with {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (an export, not an open: no
 *     private state), which the agent's launcher and the daemon's test runs pass. Without the flag,
 *     or with a channel from another provider, there is no descriptor and the relay copies as
 *     before.</li>
 * </ul>
 * The channel keeps owning its descriptor: the relay never closes it, and cuts a connection with
 * shutdown(2) through the channel, so the number is closed only after the splicing threads have
 * left it (a closed number is soon reused by an unrelated open).
 */
final class ChannelDescriptor {
    private static final System.Logger log = System.getLogger(ChannelDescriptor.class.getName());
    private static final MethodHandle FD_VAL = find();

    private ChannelDescriptor() {
    }

    /** The descriptor of {@code channel}, or empty when this JVM does not let us see it. */
    static OptionalInt of(SocketChannel channel) {
        if (FD_VAL == null) return OptionalInt.empty();
        try {
            int fd = (int) FD_VAL.invokeExact((Object) channel);
            return fd >= 0 ? OptionalInt.of(fd) : OptionalInt.empty();
        } catch (ClassCastException otherProvider) {
            return OptionalInt.empty();
        } catch (Throwable unexpected) {
            throw new IllegalStateException("reading a socket channel's descriptor failed", unexpected);
        }
    }

    /** Whether descriptors can be read in this JVM at all. */
    static boolean available() {
        return FD_VAL != null;
    }

    private static MethodHandle find() {
        try {
            Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
            return MethodHandles.lookup().findVirtual(selCh, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.log(System.Logger.Level.INFO, "relayed connections copy through the heap: splice(2) needs the JVM flag"
                    + " --add-exports java.base/sun.nio.ch=ALL-UNNAMED (" + e + ")");
            return null;
        }
    }
}
