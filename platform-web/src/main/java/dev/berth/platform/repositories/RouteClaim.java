package dev.berth.platform.repositories;

/**
 * One host and path prefix of a berth.yaml route, and the app that serves it: as the newest
 * recorded revision of the app's repository declares it.
 *
 * @param host       a host name (no wildcard), such as {@code shop.example.com}
 * @param path       a path prefix matching whole segments, {@code /} or without a trailing {@code /}
 * @param team       the team of the app
 * @param repository the repository whose berth.yaml declares the route
 * @param app        the app
 * @param port       the name of the app's published port the route goes to
 */
public record RouteClaim(String host, String path, String team, String repository, String app, String port) {
    /** {@code host + path}, as messages write it: {@code shop.example.com/api}. */
    public String hostAndPath() {
        return host + path;
    }
}
