package dev.berth.agent.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** How the agent decides a container is healthy; each check runs inside the container's namespaces. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = HealthCheck.Http.class, name = "http"),
        @JsonSubTypes.Type(value = HealthCheck.Tcp.class, name = "tcp"),
        @JsonSubTypes.Type(value = HealthCheck.Exec.class, name = "exec")})
public sealed interface HealthCheck {
    /** A GET of {@code path} on {@code port} answering 2xx or 3xx. */
    record Http(int port, String path) implements HealthCheck {
    }

    /** A TCP connect to {@code port}. */
    record Tcp(int port) implements HealthCheck {
    }

    /** A command that exits 0. */
    record Exec(List<String> command) implements HealthCheck {
        public Exec {
            command = List.copyOf(command);
        }
    }
}
