package dev.berth.agent;

import dev.berth.agent.cli.UsageException;
import dev.berth.agent.containernet.NetworkSettings;
import dev.berth.agent.daemon.AgentOptions;
import dev.berth.agent.daemon.AgentService;
import dev.berth.agent.daemon.LogSource;
import dev.berth.agent.daemon.SocketServer;
import dev.berth.agent.edge.EdgeSettings;
import dev.berth.agent.link.PlatformAddress;
import dev.berth.agent.link.PlatformLink;
import dev.berth.agent.peer.PeerClient;
import dev.berth.agent.peer.PeerIdentity;
import dev.berth.agent.peer.PeerServer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.EdgeStatus;
import dev.berth.agent.runtime.Runc;
import dev.berth.agent.state.PortRange;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code berth-agent daemon ...}: its options, checked before anything starts, and the running daemon. */
final class DaemonCommand {
    private DaemonCommand() {
    }

    /** The daemon's command line, parsed and checked. */
    record Options(String publishAddress, String advertiseAddress, PortRange portRange, List<String> insecureRegistries,
                   Path config, boolean configGiven, List<URI> platforms, String joinToken, Duration heartbeat,
                   NetworkSettings network, String peerAddress, InetSocketAddress peerListen, Edge edge) {
        /** Never prints the join token. */
        @Override
        public String toString() {
            return "Options[publishAddress=" + publishAddress + ", platforms=" + platforms + "]";
        }

        /** Whether the agent joins a platform. */
        boolean joins() {
            return !platforms.isEmpty();
        }
    }

    /**
     * {@code --edge}, where its proxy listens and on how many CPUs; {@code address} null means the advertise address.
     */
    record Edge(EdgeSettings.Listen http, EdgeSettings.Listen https, String address, int cpus) {
        EdgeSettings settings(String advertiseAddress) {
            return new EdgeSettings(http, https, address != null ? address : advertiseAddress, cpus);
        }
    }

    static Options parse(Path state, List<String> args) {
        String publish = "0.0.0.0";
        String advertise = null;
        PortRange range = PortRange.DEFAULT;
        var insecure = new ArrayList<String>();
        Path config = AgentConfig.DEFAULT_PATH;
        boolean configGiven = false;
        List<URI> platforms = List.of();
        String joinToken = null;
        Path joinTokenFile = null;
        long heartbeatSeconds = 10;
        var subnet = NetworkSettings.defaults().subnet();
        var dns = new ArrayList<InetAddress>();
        String peerAddress = null;
        InetSocketAddress peerListen = null;
        boolean edge = false;
        var edgeHttp = EdgeSettings.DEFAULT_HTTP;
        var edgeHttps = EdgeSettings.DEFAULT_HTTPS;
        String edgeAddress = null;
        int edgeCpus = 0;
        for (int i = 0; i < args.size(); i += 2) {
            if (args.get(i).equals("--edge")) {
                // The one option without a value.
                edge = true;
                i--;
                continue;
            }
            if (i + 1 >= args.size()) throw new UsageException(args.get(i) + " needs a value");
            String value = args.get(i + 1);
            switch (args.get(i)) {
                case "--publish-address" -> publish = value;
                case "--advertise-address" -> {
                    if (value.isBlank()) throw new UsageException("--advertise-address needs a host name or address");
                    advertise = value;
                }
                case "--port-range" -> range = checked("--port-range", () -> PortRange.parse(value));
                case "--insecure-registry" -> {
                    try {
                        insecure.add(AgentConfig.registryHost(value, "--insecure-registry"));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
                case "--config" -> {
                    config = Path.of(value);
                    configGiven = true;
                }
                case "--platform" -> {
                    if (!platforms.isEmpty()) throw new UsageException("give --platform once, its instances separated by commas: URL1,URL2");
                    platforms = platformUris(value);
                }
                case "--join-token" -> joinToken = value;
                case "--join-token-file" -> joinTokenFile = Path.of(value);
                case "--heartbeat-seconds" -> {
                    try {
                        heartbeatSeconds = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        heartbeatSeconds = 0;
                    }
                    if (heartbeatSeconds < 1 || heartbeatSeconds > 3600) {
                        throw new UsageException("--heartbeat-seconds must be a number of seconds from 1 to 3600, not '" + value + "'");
                    }
                }
                case "--container-subnet" -> subnet = checked("--container-subnet", () -> NetworkSettings.subnet(value));
                case "--dns" -> dns.add(checked("--dns", () -> NetworkSettings.resolver(value)));
                case "--peer-address" -> peerAddress = peerAddress(value);
                case "--peer-listen" -> peerListen = checked("--peer-listen", () -> PeerServer.listenAddress(value));
                case "--edge-http" -> edgeHttp = checked("--edge-http", () -> EdgeSettings.Listen.parse(value));
                case "--edge-https" -> edgeHttps = checked("--edge-https", () -> EdgeSettings.Listen.parse(value));
                case "--edge-address" -> {
                    if (value.isBlank() || value.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                        throw new UsageException("--edge-address needs a host name or address, not '" + value + "'");
                    }
                    edgeAddress = value;
                }
                case "--edge-cpus" -> {
                    try {
                        edgeCpus = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        edgeCpus = -1;
                    }
                    if (edgeCpus < 1 || edgeCpus > EdgeSettings.MAX_CPUS) {
                        throw new UsageException("--edge-cpus must be a number of CPUs from 1 to " + EdgeSettings.MAX_CPUS + ", not '" + value + "'");
                    }
                }
                default -> throw new UsageException("daemon takes --publish-address, --advertise-address, --port-range, "
                        + "--insecure-registry, --config, --platform, --join-token, --join-token-file, --heartbeat-seconds, "
                        + "--container-subnet, --dns, --peer-address, --peer-listen, --edge, --edge-http, --edge-https, "
                        + "--edge-address and --edge-cpus, not " + args.get(i));
            }
        }
        if (joinToken != null && joinTokenFile != null) {
            throw new UsageException("give the join token once: --join-token or --join-token-file, not both");
        }
        if (platforms.isEmpty() && (joinToken != null || joinTokenFile != null)) {
            throw new UsageException((joinToken != null ? "--join-token" : "--join-token-file") + " needs --platform URL");
        }
        if (peerListen != null && platforms.isEmpty()) {
            throw new UsageException("--peer-listen needs --platform URL: peers present the certificates the platform issues");
        }
        if (peerAddress == null && peerListen != null && !peerListen.getAddress().isAnyLocalAddress()) {
            peerAddress = hostAndPort(peerListen);
        }
        boolean edgeOptions = !edgeHttp.equals(EdgeSettings.DEFAULT_HTTP) || !edgeHttps.equals(EdgeSettings.DEFAULT_HTTPS)
                || edgeAddress != null || edgeCpus != 0;
        if (edgeOptions && !edge) throw new UsageException("--edge-http, --edge-https, --edge-address and --edge-cpus need --edge");
        if (edge && platforms.isEmpty()) {
            throw new UsageException("--edge needs --platform URL: the platform sends the routes and certificates an edge serves");
        }
        if (edge && edgeHttp.equals(edgeHttps)) {
            throw new UsageException("--edge-http and --edge-https must differ, both are " + edgeHttp);
        }
        if (joinTokenFile != null) joinToken = readToken(joinTokenFile);
        if (!platforms.isEmpty() && joinToken == null && !PlatformLink.hasCredential(state)) {
            throw new UsageException("--platform needs --join-token TOKEN the first time (or --join-token-file PATH): no credential in "
                    + PlatformLink.credentialFile(state) + "; ask a platform admin for a join token");
        }
        return new Options(publish, advertise, range, List.copyOf(insecure), config, configGiven, platforms, joinToken,
                Duration.ofSeconds(heartbeatSeconds), new NetworkSettings(subnet, dns), peerAddress, peerListen,
                edge ? new Edge(edgeHttp, edgeHttps, edgeAddress,
                        edgeCpus != 0 ? edgeCpus : EdgeSettings.defaultCpus(Runtime.getRuntime().availableProcessors())) : null);
    }

    /** {@code host:port} as other agents reach this one's peer listener: a host name or address and a port from 1 to 65535. */
    static String peerAddress(String value) {
        try {
            var uri = new URI("tcp://" + value);
            if (uri.getHost() != null && uri.getPort() >= 1 && uri.getPort() <= 65535 && uri.getRawPath().isEmpty()
                    && uri.getRawUserInfo() == null && (uri.getHost() + ":" + uri.getPort()).equalsIgnoreCase(value)) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // refused below
        }
        throw new UsageException("--peer-address must be host:port (a host name, an IPv4 address or [IPv6], and a port from 1 to 65535), not '"
                + value + "'");
    }

    /** {@code 127.0.0.1:7443} or {@code [::1]:7443}: the listen address as other agents are told to reach it. */
    static String hostAndPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** An option's value as {@code parse} reads it; what it refuses is a usage error naming the option. */
    private static <T> T checked(String option, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    /** The token in the file: its first line, trimmed. The file's content never reaches an error message. */
    private static String readToken(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("--join-token-file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        String token = text.lines().findFirst().orElse("").strip();
        if (token.isEmpty()) throw new UsageException("--join-token-file " + file + " is empty; put the join token in it");
        return token;
    }

    private static List<URI> platformUris(String value) {
        try {
            return PlatformAddress.parseList(value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static int execute(Path state, List<String> args, PrintStream err) {
        Options o = parse(state, args);
        PlatformLink link = null;
        try {
            if (o.joins()) {
                try {
                    link = PlatformLink.join(o.platforms(), state, o.joinToken(), PlatformLink.Timing.of(o.heartbeat()), err);
                } catch (PlatformLink.JoinRefusedException e) {
                    err.println("berth-agent: " + e.getMessage());
                    return 1;
                }
            }
            var registries = AgentConfig.load(o.config(), o.configGiven()).registries(o.insecureRegistries());
            var options = AgentOptions.defaults().withPublishAddress(o.publishAddress(), o.advertiseAddress())
                    .withPortRange(o.portRange()).withRegistries(registries).withNetwork(o.network());
            if (o.edge() != null) options = options.withEdge(o.edge().settings(options.advertiseAddress()));
            var agent = AgentService.open(state, Runc.DEFAULT_BINARY, options);
            var socket = new SocketServer(agent, state);
            var stopped = new CountDownLatch(1);
            var platformLink = link;
            PeerServer peers = null;
            if (platformLink != null) {
                // Replicas on other hosts are reached with this agent's platform certificate, renewed in place.
                agent.remoteReplicas(new PeerClient(platformLink.peerCredentials()));
                // Certificate keys arrive sealed to this agent's key, the one its platform certificate is for.
                agent.edgeKey(() -> platformLink.peerCredentials().identity().map(PeerIdentity::key));
                if (o.peerListen() != null) {
                    try {
                        peers = PeerServer.start(o.peerListen(), platformLink.peerCredentials(), agent::grants, agent::servingReplica,
                                PeerServer.DEFAULT_REQUEST_TIMEOUT, err);
                    } catch (IOException e) {
                        agent.close();
                        throw e;
                    }
                    err.println("berth-agent: listening for peers on " + hostAndPort(peers.address()));
                }
                agent.onChange(platformLink::reportSoon);
                platformLink.start(linked(agent, o.peerAddress()));
            }
            var peerServer = peers;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                // Containers keep running; the next agent adopts them.
                if (platformLink != null) platformLink.close();
                if (peerServer != null) peerServer.close();
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
                agent.close();
                stopped.countDown();
            }));
            err.println("berth-agent: listening on " + SocketServer.socketPath(state));
            stopped.await();
            return 0;
        } catch (IOException e) {
            if (link != null) link.close();
            err.println("berth-agent: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            return 0;
        }
    }

    /** The agent as the platform link drives it. */
    static PlatformLink.Agent linked(AgentService agent) {
        return linked(agent, null);
    }

    /** @param peerAddress what heartbeats report as this agent's peer address, or null */
    static PlatformLink.Agent linked(AgentService agent, String peerAddress) {
        return new PlatformLink.Agent() {
            @Override
            public String peerAddress() {
                return peerAddress;
            }

            @Override
            public EdgeStatus edge() {
                return agent.edgeStatus();
            }

            @Override
            public List<ContainerStatus> statuses() throws IOException {
                return agent.statuses();
            }

            @Override
            public void apply(Assignment assignment) {
                agent.apply(assignment);
            }

            @Override
            public List<LogSource> platformLogs() {
                return agent.platformLogs();
            }
        };
    }
}
