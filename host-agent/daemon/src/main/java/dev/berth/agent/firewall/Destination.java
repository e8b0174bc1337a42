package dev.berth.agent.firewall;

import dev.berth.registry.network.Cidr;

/**
 * A destination a container may connect to although it is not public.
 *
 * @param range the addresses
 * @param port the destination port (TCP or UDP), or 0 for every port
 */
public record Destination(Cidr range, int port) {
}
