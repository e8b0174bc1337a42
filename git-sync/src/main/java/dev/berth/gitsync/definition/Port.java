package dev.berth.gitsync.definition;

/** A port the app listens on; {@code publish} routes outside traffic to it (default false). */
public record Port(String name, int port, boolean publish) {
}
