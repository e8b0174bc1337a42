package dev.berth.platform.egress;

import java.util.List;

/**
 * A team's allowed private ranges, as the API and the dashboard show them.
 *
 * @param team   the team
 * @param ranges canonical ranges ({@code 10.20.0.0/16}, {@code fd00:1::/64}) that the team's apps
 *               may name in {@code egressTo}; empty when none is allowed
 */
public record EgressAllowList(String team, List<String> ranges) {
    public EgressAllowList {
        ranges = List.copyOf(ranges);
    }
}
