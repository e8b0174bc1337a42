package dev.berth.agent.daemon;

import dev.berth.agent.runtime.ExitStatus;

/** One line of {@code berth-agent ps}. {@code exit} is null while the container runs. */
public record ContainerInfo(String name, String app, String status, long pid, ExitStatus exit, int restarts) {
}
