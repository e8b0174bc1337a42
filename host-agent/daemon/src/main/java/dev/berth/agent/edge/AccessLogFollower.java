package dev.berth.agent.edge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * Reads the lines Caddy appends to its access log, from the end it had when the agent started
 * (entries of an earlier agent are not counted twice). When Caddy rolls the file (renamed, a new
 * one made in its place) the old one is read to its end first. A line longer than
 * {@link #MAX_LINE} is skipped.
 */
final class AccessLogFollower implements AutoCloseable {
    static final int MAX_LINE = 64 * 1024;
    private final Path file;
    private FileChannel channel;
    private Object fileKey;
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_LINE);
    private boolean skipping;
    private boolean started;

    AccessLogFollower(Path file) {
        this.file = file;
    }

    /** Hands every complete new line to {@code lines}. */
    void poll(Consumer<String> lines) throws IOException {
        if (channel == null && !open()) return;
        Object current = currentKey();
        drain(lines);
        if (current != null && !current.equals(fileKey)) {
            // Rolled: the old file is read to its end above; the new one starts at 0.
            channel.close();
            channel = null;
            buffer.clear();
            skipping = false;
            if (open()) drain(lines);
        }
    }

    private boolean open() throws IOException {
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            started = true;
            return false;
        }
        fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        if (!started) channel.position(channel.size());
        started = true;
        return true;
    }

    private Object currentKey() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void drain(Consumer<String> lines) throws IOException {
        while (channel.read(buffer) > 0 || buffer.position() == buffer.capacity()) {
            buffer.flip();
            int start = 0;
            for (int i = buffer.position(); i < buffer.limit(); i++) {
                if (buffer.get(i) != '\n') continue;
                if (!skipping) lines.accept(new String(buffer.array(), start, i - start, StandardCharsets.UTF_8));
                skipping = false;
                start = i + 1;
            }
            if (start == 0 && buffer.limit() == buffer.capacity()) {
                skipping = true;
                buffer.clear();
            } else {
                buffer.position(start);
                buffer.compact();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}
