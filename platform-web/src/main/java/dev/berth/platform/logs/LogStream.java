package dev.berth.platform.logs;

import dev.berth.agent.protocol.LogChunk;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How one container's chunks become whole lines; pure. A chunk whose offset is past the last
 * chunk's continues the line that chunk left open; an earlier offset means the log was rotated (the
 * open line is closed as it is); the same offset and text as the last chunk is a resend and changes
 * nothing. Lines longer than {@code maxLineChars} are cut; NUL, which PostgreSQL text cannot hold,
 * becomes U+FFFD; a CR before the LF is dropped.
 */
public final class LogStream {
    private static final String NUL_REPLACEMENT = "\uFFFD";

    private LogStream() {
    }

    /** What is remembered between chunks: the last chunk's offset and digest, and its unfinished line. */
    public record State(long lastOffset, byte[] lastDigest, String pending) {
        @Override
        public boolean equals(Object o) {
            return o instanceof State s && s.lastOffset == lastOffset && Arrays.equals(s.lastDigest, lastDigest)
                    && s.pending.equals(pending);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(lastOffset) * 31 + pending.hashCode();
        }

        @Override
        public String toString() {
            return "State[lastOffset=" + lastOffset + ", pending=" + pending.length() + " chars]";
        }
    }

    /** The lines a chunk completes, oldest first, and the state after it; {@code resent} if it was skipped. */
    public record Applied(List<String> lines, State next, boolean resent) {
    }

    /** Applies a chunk to a container's state; {@code before} is empty for its first chunk. */
    public static Applied apply(Optional<State> before, LogChunk chunk, int maxLineChars) {
        if (maxLineChars < 2) throw new IllegalArgumentException("maxLineChars must be at least 2");
        String text = chunk.text().replace("\0", NUL_REPLACEMENT);
        byte[] digest = sha256(text);
        if (before.isPresent() && before.get().lastOffset() == chunk.offset() && Arrays.equals(before.get().lastDigest(), digest)) {
            return new Applied(List.of(), before.get(), true);
        }
        var lines = new ArrayList<String>();
        var open = new StringBuilder();
        if (before.isPresent()) {
            if (chunk.offset() > before.get().lastOffset()) {
                open.append(before.get().pending());
            } else if (!before.get().pending().isEmpty()) {
                lines.add(withoutTrailingCr(before.get().pending()));
            }
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n') {
                lines.add(withoutTrailingCr(open.toString()));
                open.setLength(0);
                continue;
            }
            // Cut only when more text arrives, so a line exactly maxLineChars long stays one line.
            if (open.length() + Character.charCount(cp) > maxLineChars) {
                lines.add(open.toString());
                open.setLength(0);
            }
            open.appendCodePoint(cp);
        }
        return new Applied(List.copyOf(lines), new State(chunk.offset(), digest, open.toString()), false);
    }

    static String withoutTrailingCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
