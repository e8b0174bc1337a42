package dev.berth.agent.protocol;

/**
 * Where a container port is served on its host: {@code address} is {@code host:port} as clients
 * reach it. {@code serving} is true while new connections go to this container (it is running and
 * passing its health check, and not draining).
 */
public record PublishedPort(int containerPort, String address, boolean serving) {
}
