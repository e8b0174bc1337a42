package dev.berth.agent.containernet;

import dev.berth.agent.sys.SyscallPort;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * The agent's end of a container's network hook (see {@code bundle.NetworkHook}): two FIFOs in the
 * container's directory. Both are opened read-write, which never blocks on a FIFO: the agent's
 * reads wait for data, not for the other end, and a read is ended by writing into the same FIFO.
 * The agent holds the reply FIFO open from before runc starts until the start is over, so an
 * answer given before the hook reads it (before the hook even runs) stays in the FIFO: the hook
 * opens it read-write too, and a FIFO drops its data only when its last reader and writer close.
 */
final class HookChannel implements AutoCloseable {
    static final String REQUEST = "net.request";
    static final String REPLY = "net.reply";
    /** runc's state is a few hundred bytes; anything far longer is not runc's. */
    private static final int MAX_STATE = 64 << 10;

    private final RandomAccessFile request;
    private final RandomAccessFile reply;

    private HookChannel(RandomAccessFile request, RandomAccessFile reply) {
        this.request = request;
        this.reply = reply;
    }

    /** Creates both FIFOs in {@code dir} (root's alone) unless they are there already. */
    static void create(Path dir) throws IOException {
        for (String name : new String[] {REQUEST, REPLY}) {
            Path fifo = dir.resolve(name);
            if (Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) {
                var attributes = Files.readAttributes(fifo, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (attributes.isOther() && !attributes.isSymbolicLink()) continue;
                throw new IOException(fifo + " exists and is not a FIFO");
            }
            SyscallPort.mkfifo(fifo, 0600);
        }
    }

    /** Opens both FIFOs of {@code dir}, before the container starts. */
    static HookChannel open(Path dir) throws IOException {
        // "rw" would create a regular file where the FIFO is missing.
        if (!exists(dir)) throw new IOException("the network hook's FIFOs in " + dir + " are missing");
        var request = new RandomAccessFile(dir.resolve(REQUEST).toFile(), "rw");
        try {
            return new HookChannel(request, new RandomAccessFile(dir.resolve(REPLY).toFile(), "rw"));
        } catch (IOException e) {
            request.close();
            throw e;
        }
    }

    /** Whether {@code dir} has the hook's FIFOs: the container's bundle was written with the hook. */
    static boolean exists(Path dir) {
        return Files.exists(dir.resolve(REQUEST), LinkOption.NOFOLLOW_LINKS) && Files.exists(dir.resolve(REPLY), LinkOption.NOFOLLOW_LINKS);
    }

    /** Waits for the hook's line: runc's state. Empty when {@link #abandon()} came first. */
    String awaitState() throws IOException {
        var line = new ByteArrayOutputStream();
        var in = new FileInputStream(request.getFD());
        byte[] buffer = new byte[4096];
        while (true) {
            int n = in.read(buffer);
            if (n < 0) throw new IOException("the network hook's FIFO closed");
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') return line.toString(StandardCharsets.UTF_8);
                line.write(buffer[i]);
            }
            if (line.size() > MAX_STATE) throw new IOException("the network hook sent more than " + MAX_STATE + " bytes");
        }
    }

    /** Ends a wait in {@link #awaitState()} with an empty line (runc ended without running the hook). */
    void abandon() {
        try {
            request.write('\n');
        } catch (IOException closed) {
            // no one waits any more
        }
    }

    /**
     * Answers the hook of {@code dir}: {@code ok}, or why the start must fail (one line of printable
     * text). Never blocks: if no hook waits, the answer is dropped with the FIFO's buffer.
     */
    static void answer(Path dir, String answer) throws IOException {
        Path fifo = dir.resolve(REPLY);
        if (!Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)) return;
        try (var reply = new RandomAccessFile(fifo.toFile(), "rw")) {
            reply.write(line(answer));
        }
    }

    /** Answers the hook through the reply FIFO this channel holds: kept until the hook reads it or the channel closes. */
    void answer(String answer) throws IOException {
        reply.write(line(answer));
    }

    private static byte[] line(String answer) {
        String line = answer.replaceAll("[^\\x20-\\x7e]", "?");
        if (line.length() > 300) line = line.substring(0, 300) + "...";
        return (line + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        try (request; reply) {
            // both closed, the request's unread line and an unread answer dropped with them
        }
    }
}
