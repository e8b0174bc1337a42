package dev.berth.agent.daemon;

import java.nio.file.Path;

/**
 * Where the output of a platform container is to be read from for shipping: its log file (or,
 * while it cannot be started, the agent's notes on why). Rotated copies sit beside it as
 * {@code FILE.1}.
 */
public record LogSource(String container, Path file) {
}
