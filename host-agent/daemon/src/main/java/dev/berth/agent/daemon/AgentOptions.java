package dev.berth.agent.daemon;

import dev.berth.agent.containernet.NetworkSettings;
import dev.berth.agent.edge.EdgeSettings;
import dev.berth.agent.state.PortRange;
import dev.berth.registry.RegistryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How an agent serves: where published ports listen and what statuses call that address, the
 * range ports that ask for none are taken from, how images are pulled, and how long a container
 * being removed gets to finish its connections and to end after SIGTERM.
 *
 * @param publishAddress where published ports listen when a spec names no address
 * @param advertiseAddress what statuses report as the host part of such ports; null means the
 *                         publish address, or this host's name when publishing on a wildcard address
 * @param stopGrace the drain bound and the SIGTERM grace period of a container being removed
 * @param network the subnet and DNS servers of containers that ask for a network
 * @param edge where this host's edge proxy listens ({@code --edge}); null when the host is no edge
 */
public record AgentOptions(String publishAddress, String advertiseAddress, PortRange portRange, RegistryConfig registries,
                           Duration stopGrace, NetworkSettings network, EdgeSettings edge) {
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    public AgentOptions {
        Objects.requireNonNull(publishAddress, "publishAddress");
        if (advertiseAddress == null || advertiseAddress.isBlank()) {
            advertiseAddress = PublishedPorts.wildcard(publishAddress) ? hostname() : publishAddress;
        }
        if (portRange == null) portRange = PortRange.DEFAULT;
        if (registries == null) registries = RegistryConfig.defaults();
        if (stopGrace == null) stopGrace = DEFAULT_STOP_GRACE;
        if (network == null) network = NetworkSettings.defaults();
        if (stopGrace.isNegative()) throw new IllegalArgumentException("the stop grace period must not be negative");
    }

    /** Every address, this host's name advertised, ports 20000-29999, default registries, 10 s grace, the default subnet. */
    public static AgentOptions defaults() {
        return new AgentOptions("0.0.0.0", null, null, null, null, null, null);
    }

    public AgentOptions withPublishAddress(String address, String advertise) {
        return new AgentOptions(address, advertise, portRange, registries, stopGrace, network, edge);
    }

    public AgentOptions withPortRange(PortRange range) {
        return new AgentOptions(publishAddress, advertiseAddress, range, registries, stopGrace, network, edge);
    }

    public AgentOptions withRegistries(RegistryConfig config) {
        return new AgentOptions(publishAddress, advertiseAddress, portRange, config, stopGrace, network, edge);
    }

    public AgentOptions withStopGrace(Duration grace) {
        return new AgentOptions(publishAddress, advertiseAddress, portRange, registries, grace, network, edge);
    }

    public AgentOptions withNetwork(NetworkSettings settings) {
        return new AgentOptions(publishAddress, advertiseAddress, portRange, registries, stopGrace, settings, edge);
    }

    /** An edge host: its proxy listens where {@code settings} say. */
    public AgentOptions withEdge(EdgeSettings settings) {
        return new AgentOptions(publishAddress, advertiseAddress, portRange, registries, stopGrace, network, settings);
    }

    /** This host's name: what the resolver says, else /etc/hostname, else "localhost". */
    public static String hostname() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (name != null && !name.isBlank()) return name;
        } catch (IOException e) {
            // fall through to /etc/hostname
        }
        try {
            String name = Files.readString(Path.of("/etc/hostname")).trim();
            if (!name.isEmpty()) return name;
        } catch (IOException e) {
            // fall through
        }
        return "localhost";
    }
}
