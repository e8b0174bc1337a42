package dev.berth.gitsync.definition;

/**
 * One {@code routes} entry: requests for {@code host} whose path starts with {@code path} (whole
 * segments) go to the app's port named {@code port}. Used by the platform later (issue 13: the
 * edge, certificates and team domains); it keeps the line and column it was written at so that
 * checks needing the platform's knowledge (who owns the domain, which app serves the host) can
 * still point at the line, as {@link Network.Connect} does.
 *
 * @param host a lower-case DNS name of at least two labels, without a trailing dot or a port
 * @param port the name of a port the same app declares under {@code ports} and publishes
 * @param path starts with {@code /}; no trailing {@code /} unless it is {@code /} itself (default)
 */
public record Route(String host, String port, String path, int line, int column) {
}
