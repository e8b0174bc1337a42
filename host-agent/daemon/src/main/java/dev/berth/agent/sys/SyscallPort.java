package dev.berth.agent.sys;

import java.io.IOException;
import java.nio.file.Path;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;

/**
 * The agent's one door to libc (the only class that imports jnr-ffi): the few syscalls the JDK
 * does not offer. Namespace switches affect only the calling thread, so callers make them on a
 * platform thread of their own and never hand it back to a pool.
 */
public final class SyscallPort {
    /** CLONE_NEWNET from sched.h. */
    public static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int PR_SET_CHILD_SUBREAPER = 36;

    /** The libc functions used, as jnr-ffi binds them. */
    public interface LibC {
        int open(String path, int flags);

        int close(int fd);

        int setns(int fd, int nstype);

        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        int geteuid();

        int mkfifo(String path, int mode);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private SyscallPort() {
    }

    /** Moves the calling thread into the namespace at {@code nsPath} (e.g. /proc/PID/ns/net). */
    public static void enterNamespace(Path nsPath, int type) throws IOException {
        int fd = LIBC.open(nsPath.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw new IOException("cannot open " + nsPath + ": " + lastError());
        try {
            if (LIBC.setns(fd, type) != 0) throw new IOException("setns(" + nsPath + ") failed: " + lastError());
        } finally {
            LIBC.close(fd);
        }
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

    private static String lastError() {
        int errno = Runtime.getRuntime(LIBC).getLastError();
        return "errno " + errno;
    }
}
