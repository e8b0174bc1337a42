package dev.berth.agent.sys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/**
 * The agent's one door to libc (the only class that imports jnr-ffi): the few syscalls the JDK
 * does not offer. Namespace switches affect only the calling thread, so callers make them on a
 * platform thread of their own and never hand it back to a pool while inside another namespace.
 */
public final class SyscallPort {
    /** CLONE_NEWNET from sched.h. */
    public static final int CLONE_NEWNET = 0x40000000;
    /** CLONE_NEWUSER from sched.h; CLONE_VM and CLONE_FILES share the caller's memory and descriptors, SIGCHLD is the exit signal. */
    public static final int CLONE_NEWUSER = 0x10000000;
    private static final int CLONE_VM = 0x100;
    private static final int CLONE_FILES = 0x400;
    private static final int SIGCHLD = 17;
    private static final int SIGKILL = 9;
    /** x86-64's pause(2): a holder waits in it until it is killed. */
    private static final long SYS_PAUSE_AMD64 = 34;
    private static final int HOLDER_STACK = 16 << 10;
    private static final int SIG_BLOCK = 0;
    private static final int SIG_SETMASK = 2;
    /** glibc's sigset_t: 1024 bits. */
    private static final int SIGSET_WORDS = 16;
    /** Signals the kernel raises for a faulting instruction: never blocked, the JVM relies on them. */
    private static final List<Integer> FAULT_SIGNALS = List.of(4, 5, 7, 8, 11); // SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int O_NONBLOCK = 0x800;
    /** mount(2)'s MS_BIND from sys/mount.h, and umount2's MNT_DETACH. */
    private static final long MS_BIND = 4096;
    private static final int MNT_DETACH = 2;
    /** An IPv4 datagram socket: the handle interface ioctls go through. */
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** Interface flag ioctls from linux/sockios.h; {@code struct ifreq} is 40 bytes, its flags a short at 16. */
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_FLAGS = 16;
    private static final int IFF_UP = 1;
    /** errno values from asm-generic/errno-base.h and errno.h. */
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int EINVAL = 22;
    public static final int ENOSYS = 38;
    public static final int EOPNOTSUPP = 95;
    /** splice(2) flags from fcntl.h. */
    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_MORE = 4;

    /** A failed call and its errno, so a caller can tell "not supported here" from a broken peer. */
    public static final class ErrnoException extends IOException {
        private final int errno;

        public ErrnoException(String call, int errno) {
            super(call + " failed: errno " + errno);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    /** The libc functions used, as jnr-ffi binds them. */
    public interface LibC {
        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);

        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        int geteuid();

        int pipe2(@Out int[] fds, int flags);

        long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags);

        int fcntl(int fd, int cmd, int arg);
        int mkfifo(String path, int mode);

        int clone(Pointer fn, Pointer stack, int flags, Pointer arg);

        int kill(int pid, int signal);

        int waitpid(int pid, @Out int[] status, int options);

        int mount(String source, String target, String type, long flags, Pointer data);

        int umount2(String target, int flags);

        int socket(int domain, int type, int protocol);

        int ioctl(int fd, long request, @In @Out byte[] arg);

        int pthread_sigmask(int how, @In long[] set, @Out long[] oldSet);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private SyscallPort() {
    }

    /** Moves the calling thread into the namespace at {@code nsPath} (e.g. /proc/PID/ns/net). */
    public static void enterNamespace(Path nsPath, int type) throws IOException {
        int fd = openNamespace(nsPath);
        try {
            enterNamespace(fd, nsPath.toString(), type);
        } finally {
            LIBC.close(fd);
        }
    }

    /**
     * A descriptor of the namespace at {@code nsPath}, to enter later with {@link #enterNamespace(int,
     * String, int)}; it keeps that very namespace (not whatever the path names by then) until {@link
     * #close}d.
     */
    public static int openNamespace(Path nsPath) throws IOException {
        int fd = LIBC.open(nsPath.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw new IOException("cannot open " + nsPath + ": " + lastError());
        return fd;
    }

    /** Moves the calling thread into the namespace {@code fd} (from {@link #openNamespace}) holds; {@code what} names it in errors. */
    public static void enterNamespace(int fd, String what, int type) throws IOException {
        if (LIBC.setns(fd, type) != 0) throw new IOException("setns(" + what + ") failed: " + lastError());
    }

    /** Bind-mounts {@code source} (a file or directory) onto {@code target}, which must exist and be of the same kind. */
    public static void bindMount(Path source, Path target) throws ErrnoException {
        if (LIBC.mount(source.toString(), target.toString(), null, MS_BIND, null) != 0) {
            throw new ErrnoException("bind mount of " + source + " on " + target, errno());
        }
    }

    /** Detaches the mount at {@code target} (it goes once nothing uses it); {@link #EINVAL} when none is there. */
    public static void unmountDetached(Path target) throws ErrnoException {
        if (LIBC.umount2(target.toString(), MNT_DETACH) != 0) throw new ErrnoException("umount of " + target, errno());
    }

    /** Sets the interface {@code name} of the calling thread's network namespace up. */
    public static void interfaceUp(String name) throws ErrnoException {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= IFREQ_FLAGS) throw new IllegalArgumentException("interface name '" + name + "' is too long");
        int fd = LIBC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new ErrnoException("socket", errno());
        try {
            byte[] ifreq = new byte[IFREQ_SIZE];
            System.arraycopy(bytes, 0, ifreq, 0, bytes.length);
            if (LIBC.ioctl(fd, SIOCGIFFLAGS, ifreq) != 0) throw new ErrnoException("SIOCGIFFLAGS of " + name, errno());
            ifreq[IFREQ_FLAGS] |= IFF_UP; // little-endian: the flag is in the short's low byte
            if (LIBC.ioctl(fd, SIOCSIFFLAGS, ifreq) != 0) throw new ErrnoException("SIOCSIFFLAGS of " + name, errno());
        } finally {
            LIBC.close(fd);
        }
    }

    /**
     * Whether {@link #holdNamespaces} works here: on x86-64 only, the one architecture whose pause(2)
     * a holder can call through libc's {@code syscall} with nothing but the call's number.
     */
    public static boolean canHoldNamespaces() {
        return System.getProperty("os.arch").equals("amd64");
    }

    /**
     * A process in new namespaces of {@code flags} (e.g. {@link #CLONE_NEWUSER} | {@link
     * #CLONE_NEWNET}) that only waits in the kernel until {@link NamespaceHolder#close} kills it.
     * A thread of a multithreaded program may not make a user namespace for itself, but may start a
     * process in one: clone(2) with the caller's memory and descriptor table shared (nothing is
     * copied, no descriptor is held twice) and a 16 KiB stack of its own, on which the child runs libc's {@code syscall(SYS_pause)} and no code of
     * this program. Only on x86-64 ({@link #canHoldNamespaces}).
     */
    public static NamespaceHolder holdNamespaces(int flags) throws ErrnoException {
        if (!canHoldNamespaces()) throw new ErrnoException("holding namespaces on " + System.getProperty("os.arch"), ENOSYS);
        var runtime = Runtime.getRuntime(LIBC);
        Pointer stack = Memory.allocateDirect(runtime, HOLDER_STACK);
        long top = (stack.address() + HOLDER_STACK) & ~15L;
        // The holder inherits this thread's signal mask: with every asynchronous signal blocked, a
        // signal reaching it (a Ctrl-C to the process group) stays pending instead of running the
        // JVM's handler on the holder's small stack, in memory it shares with the JVM. SIGKILL
        // ends it all the same.
        long[] saved = new long[SIGSET_WORDS];
        if (LIBC.pthread_sigmask(SIG_BLOCK, asynchronousSignals(), saved) != 0) throw new ErrnoException("pthread_sigmask", errno());
        int pid;
        int cloneErrno;
        try {
            pid = LIBC.clone(Pointer.wrap(runtime, SyscallFunction.ADDRESS), Pointer.wrap(runtime, top),
                    flags | CLONE_VM | CLONE_FILES | SIGCHLD, Pointer.wrap(runtime, SYS_PAUSE_AMD64));
            cloneErrno = pid < 0 ? errno() : 0;
        } finally {
            LIBC.pthread_sigmask(SIG_SETMASK, saved, null);
        }
        if (pid < 0) throw new ErrnoException("clone", cloneErrno);
        return new NamespaceHolder(pid, stack);
    }

    /** Signals 1-64 but those of a faulting instruction (and SIGKILL, SIGSTOP: the kernel ignores those in a mask). */
    private static long[] asynchronousSignals() {
        long[] set = new long[SIGSET_WORDS];
        set[0] = -1L;
        for (int signal : FAULT_SIGNALS) set[0] &= ~(1L << (signal - 1));
        return set;
    }

    /** A process {@link #holdNamespaces} started; closing kills and reaps it, then lets its stack go. */
    public static final class NamespaceHolder implements AutoCloseable {
        private final int pid;
        /** The child's stack (a jnr-ffi buffer), kept reachable while the child may run on it. */
        private Object stack;

        private NamespaceHolder(int pid, Object stack) {
            this.pid = pid;
            this.stack = stack;
        }

        public long pid() {
            return pid;
        }

        @Override
        public void close() {
            if (stack == null) return;
            LIBC.kill(pid, SIGKILL);
            int[] status = new int[1];
            while (LIBC.waitpid(pid, status, 0) < 0 && errno() == EINTR) {
                // reaped once the kill has landed
            }
            stack = null; // the child ran on it until now
        }
    }

    /** libc's {@code syscall} entry, the function a holder runs. */
    private static final class SyscallFunction {
        static final long ADDRESS = com.kenai.jffi.Library.getCachedInstance("libc.so.6", com.kenai.jffi.Library.LAZY)
                .getSymbolAddress("syscall");
    }

    /** Makes this process adopt orphaned descendants, so containers it starts stay its children. */
    public static void becomeChildSubreaper() throws IOException {
        if (LIBC.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
            throw new IOException("prctl(PR_SET_CHILD_SUBREAPER) failed: " + lastError());
        }
    }

    /** Creates a FIFO at {@code path} with {@code mode} (less the umask); fails if anything is there. */
    public static void mkfifo(Path path, int mode) throws IOException {
        if (LIBC.mkfifo(path.toString(), mode) != 0) throw new IOException("cannot create the FIFO " + path + ": " + lastError());
    }

    /** The effective user id: 0 is what the agent needs, whatever the account is called. */
    public static int effectiveUid() {
        return LIBC.geteuid();
    }

    /** A pipe, close-on-exec: {@code [read end, write end]}; give both back with {@link #close}. */
    public static int[] pipe() throws ErrnoException {
        int[] fds = new int[2];
        if (LIBC.pipe2(fds, O_CLOEXEC) != 0) throw new ErrnoException("pipe2", errno());
        return fds;
    }

    /** Asks for a pipe of {@code bytes} capacity; the kernel may round up, or refuse above its limit. */
    public static void pipeSize(int pipeFd, int bytes) throws ErrnoException {
        if (LIBC.fcntl(pipeFd, F_SETPIPE_SZ, bytes) < 0) throw new ErrnoException("fcntl(F_SETPIPE_SZ)", errno());
    }

    /**
     * Moves up to {@code len} bytes from {@code in} to {@code out} inside the kernel, one of them a
     * pipe, at their current positions. 0 means end of stream on {@code in}.
     */
    public static long splice(int in, int out, long len, int flags) throws ErrnoException {
        long n = LIBC.splice(in, null, out, null, len, flags);
        if (n < 0) throw new ErrnoException("splice", errno());
        return n;
    }

    /** Clears O_NONBLOCK, so reads and writes on {@code fd} wait in the kernel. */
    public static void blocking(int fd) throws ErrnoException {
        int flags = LIBC.fcntl(fd, F_GETFL, 0);
        if (flags < 0) throw new ErrnoException("fcntl(F_GETFL)", errno());
        if ((flags & O_NONBLOCK) != 0 && LIBC.fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
            throw new ErrnoException("fcntl(F_SETFL)", errno());
        }
    }

    /** Closes a descriptor this class handed out (never one a Java channel owns). */
    public static void close(int fd) {
        LIBC.close(fd);
    }

    private static int errno() {
        return Runtime.getRuntime(LIBC).getLastError();
    }

    private static String lastError() {
        return "errno " + errno();
    }
}
