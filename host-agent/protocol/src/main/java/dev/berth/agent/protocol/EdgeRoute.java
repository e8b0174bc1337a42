package dev.berth.agent.protocol;

import java.util.List;

/**
 * Requests for {@code host} whose path is {@code path} or below it (whole segments: {@code /api}
 * serves {@code /api} and {@code /api/orders}, never {@code /apiary}) go to one of
 * {@code upstreams}; among the routes of a host the longest path wins.
 *
 * @param host a lower-case DNS name, as berth.yaml's {@code routes} checks it
 * @param path {@code /} or a prefix without a trailing {@code /}
 * @param app the app as agents name it ({@code team/app}), for access logs
 * @param upstreams {@code address:port} of each host's published port where a replica of the app
 *                  serves it now; empty when none does (the edge answers 503)
 */
public record EdgeRoute(String host, String path, String app, List<String> upstreams) {
    public EdgeRoute {
        upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
    }
}
