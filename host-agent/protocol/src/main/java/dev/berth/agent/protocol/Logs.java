package dev.berth.agent.protocol;

import java.util.List;

/**
 * Container output an agent forwards to the platform, so people can follow logs in the dashboard
 * without the host opening a port.
 *
 * @param version wire-format version, {@link #VERSION}
 */
public record Logs(int version, List<LogChunk> chunks) {
    public static final int VERSION = 1;

    public Logs {
        chunks = chunks == null ? List.of() : List.copyOf(chunks);
    }
}
