package dev.berth.agent.net;

import dev.berth.agent.sys.SyscallPort;
import dev.berth.agent.sys.SyscallPort.ErrnoException;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Moves bytes socket to pipe to socket with splice(2): the kernel passes the received pages on
 * without copying them into the JVM and back. The sockets are put in blocking mode, so each
 * splice waits in the kernel; that pins the calling thread, which is why {@link Relay} gives each
 * direction a platform thread of its own. {@code SPLICE_F_MORE} is left off the write side: on a
 * TCP socket it corks the tail of a response until more data comes, which a request/response
 * peer never sends.
 */
final class Splicer implements Transfer {
    /** Default pipe capacity: one splice moves up to this much (see the benchmark in docs/benchmarks.md). */
    static final int PIPE_BYTES = 256 * 1024;

    /** The one system call, replaceable in tests that need it to fail. */
    @FunctionalInterface
    interface SpliceCall {
        long splice(int in, int out, long len, int flags) throws ErrnoException;
    }

    private final Function<SocketChannel, OptionalInt> descriptors;
    private final SpliceCall call;
    private final int pipeBytes;

    Splicer(Function<SocketChannel, OptionalInt> descriptors, SpliceCall call, int pipeBytes) {
        this.descriptors = descriptors;
        this.call = call;
        this.pipeBytes = pipeBytes;
    }

    /** The real thing: descriptors from the JDK's channels, splice(2) from libc. */
    static Splicer system(int pipeBytes) {
        return new Splicer(ChannelDescriptor::of, SyscallPort::splice, pipeBytes);
    }

    @Override
    public void move(SocketChannel from, SocketChannel to) throws IOException {
        OptionalInt in = descriptors.apply(from);
        OptionalInt out = descriptors.apply(to);
        if (in.isEmpty() || out.isEmpty()) throw new Unavailable("no file descriptor for the channel", null);
        int[] pipe;
        try {
            pipe = SyscallPort.pipe();
        } catch (ErrnoException e) {
            throw new Unavailable("no pipe", e);
        }
        try {
            try {
                SyscallPort.pipeSize(pipe[1], pipeBytes);
            } catch (ErrnoException tooLarge) {
                // The default capacity (64 KiB) still works, in smaller steps.
            }
            SyscallPort.blocking(in.getAsInt());
            SyscallPort.blocking(out.getAsInt());
            pump(in.getAsInt(), out.getAsInt(), pipe[0], pipe[1]);
        } finally {
            SyscallPort.close(pipe[0]);
            SyscallPort.close(pipe[1]);
        }
    }

    private void pump(int in, int out, int pipeRead, int pipeWrite) throws IOException {
        boolean movedAny = false;
        while (true) {
            long n;
            try {
                n = call.splice(in, pipeWrite, pipeBytes, SyscallPort.SPLICE_F_MOVE | SyscallPort.SPLICE_F_MORE);
            } catch (ErrnoException e) {
                if (e.errno() == SyscallPort.EINTR) continue;
                if (!movedAny && unsupported(e.errno())) throw new Unavailable("splice(2) is not supported here", e);
                throw e;
            }
            if (n == 0) return;
            movedAny = true;
            while (n > 0) {
                try {
                    n -= call.splice(pipeRead, out, n, SyscallPort.SPLICE_F_MOVE);
                } catch (ErrnoException e) {
                    if (e.errno() != SyscallPort.EINTR) throw e;
                }
            }
        }
    }

    /** Whether an errno from the first splice says "not with these descriptors, try copying". */
    static boolean unsupported(int errno) {
        return errno == SyscallPort.EINVAL || errno == SyscallPort.ENOSYS || errno == SyscallPort.EOPNOTSUPP;
    }
}
