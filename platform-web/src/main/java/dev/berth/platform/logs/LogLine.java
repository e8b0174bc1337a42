package dev.berth.platform.logs;

import java.time.Instant;

/**
 * One line of a container's output. {@code seq} grows with every line a container's log gets (and
 * is unique across containers), so {@code after(seq)} follows a log; {@code receivedAt} is when the
 * platform received it, not when the container wrote it.
 */
public record LogLine(long seq, Instant receivedAt, String text) {
}
