package dev.berth.agent.protocol;

/**
 * New output of one container ({@code POST /agent/v1/logs} carries a list): {@code text} is what
 * the container wrote after {@code offset} bytes of its current log, at most a bounded amount per
 * chunk, decoded as UTF-8 with malformed bytes replaced.
 */
public record LogChunk(String container, long offset, String text) {
}
