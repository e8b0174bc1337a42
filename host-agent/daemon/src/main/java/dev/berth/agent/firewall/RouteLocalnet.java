package dev.berth.agent.firewall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lets the host's 127.0.0.0/8 connections to a published port out through one container's
 * interface, once DNAT sends them there ({@code route_localnet} of that interface alone: the
 * kernel otherwise drops loopback addresses on any other link). The firewall masquerades them to
 * the interface's host address, and the container's input chain still refuses whatever the
 * container itself sends to 127.0.0.0/8.
 */
public final class RouteLocalnet {
    private static final Path CONF = Path.of("/proc/sys/net/ipv4/conf");

    private RouteLocalnet() {
    }

    /** Turns {@code route_localnet} on for the host interface {@code hostInterface}. */
    public static void enable(String hostInterface) throws IOException {
        Path setting = CONF.resolve(TableObjects.hostInterface(hostInterface)).resolve("route_localnet");
        if (!Files.exists(setting)) throw new IOException("interface " + hostInterface + " does not exist: no " + setting);
        Files.writeString(setting, "1\n");
    }
}
