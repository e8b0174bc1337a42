package dev.berth.agent.edge;

import java.time.Duration;
import java.time.Instant;

/**
 * One request an edge served for an app, from Caddy's access log.
 *
 * @param path the request path without its query (queries may carry secrets)
 * @param bytes the response body's size
 */
public record AccessEntry(Instant time, String app, String host, String method, String path, int status, Duration duration,
                          long bytes) {
}
