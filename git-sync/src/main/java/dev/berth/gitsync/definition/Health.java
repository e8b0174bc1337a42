package dev.berth.gitsync.definition;

import java.time.Duration;
import java.util.List;

/**
 * How Berth decides that a replica is healthy: one check, run every {@code interval} (default
 * 10s), failing after {@code timeout} (default 2s), healthy after {@code healthyAfter}
 * consecutive passes (default 1).
 */
public record Health(Check check, Duration interval, Duration timeout, int healthyAfter) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_HEALTHY_AFTER = 1;

    /** The kinds of check; exactly one is declared. */
    public sealed interface Check permits Http, Tcp, Exec {
    }

    /** A GET that must answer 2xx or 3xx; the port is resolved to its number. */
    public record Http(int port, String path) implements Check {
    }

    /** A TCP connect that must succeed; the port is resolved to its number. */
    public record Tcp(int port) implements Check {
    }

    /** A command run inside the container that must exit 0. */
    public record Exec(List<String> command) implements Check {
        public Exec {
            command = List.copyOf(command);
        }
    }
}
