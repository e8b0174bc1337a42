package dev.berth.agent.daemon;

import dev.berth.agent.bundle.OciSpec;
import dev.berth.agent.containernet.ContainerNetwork;
import dev.berth.agent.containernet.Resolvers;
import dev.berth.agent.inspect.IsolationInspector;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.inspect.NetworkReport;
import dev.berth.agent.inspect.NetworkView;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.IsolationCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * A container's isolation report: each promise of its bundle compared with what its live process
 * shows. For heartbeats it is measured once per process and kept until that process ends.
 */
final class IsolationReports {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final boolean cgroupV2;
    private final ContainerNetwork network;

    IsolationReports(boolean cgroupV2, ContainerNetwork network) {
        this.cgroupV2 = cgroupV2;
        this.network = network;
    }

    /** The report of process {@code pid}, measured now. */
    IsolationReport measure(ManagedContainer m, long pid) throws IOException {
        var writable = new ArrayList<String>();
        m.spec.volumes().forEach(v -> writable.add(v.path()));
        m.spec.tmpfs().forEach(t -> writable.add(t.path()));
        var report = IsolationReport.evaluate(bundle(m), new IsolationInspector().observe(pid, cgroupV2), writable);
        var items = new ArrayList<>(report.items());
        items.addAll(NetworkReport.evaluate(promisedNetwork(m), NetworkView.observe(Path.of("/proc"), pid)));
        return new IsolationReport(List.copyOf(items));
    }

    /** What the agent set up for the container's network; null for one without. */
    private NetworkReport.Promised promisedNetwork(ManagedContainer m) throws IOException {
        if (m.spec.network() == null) return null;
        var attached = network.attached(m.dir.path()).orElse(null);
        var net = m.spec.network();
        var resolvers = Resolvers.nameservers(network.resolvConf(m.name())).stream().map(InetAddress::getHostAddress).toList();
        String host = attached == null ? "no interface" : attached.hostInterface();
        var rules = new NetworkReport.Rules(host, net.egress() == ContainerSpec.Egress.PUBLIC, net.egressTo().size(),
                !resolvers.isEmpty(), rules(m.name()));
        if (attached == null) return new NetworkReport.Promised(List.of(), "none", resolvers, rules);
        var addresses = attached.addresses().stream().map(a -> a.substring(0, a.indexOf('/'))).toList();
        return new NetworkReport.Promised(addresses, attached.gateway(), resolvers, rules);
    }

    /** The container's rules as the firewall describes them; null (a failed check) when they cannot be listed. */
    private String rules(String name) {
        try {
            return network.describe(name);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The report of process {@code pid} as the platform hears it, measured the first time it is asked for. */
    List<IsolationCheck> checks(ManagedContainer m, long pid) {
        var cached = m.isolation;
        if (cached != null && cached.pid() == pid) return cached.checks();
        try {
            var checks = measure(m, pid).items().stream()
                    .map(i -> new IsolationCheck(i.name(), i.pass(), capped(i.expected()), capped(i.actual()))).toList();
            m.isolation = new ManagedContainer.Isolation(pid, checks);
            return checks;
        } catch (IOException | RuntimeException e) {
            return List.of(); // it ended meanwhile, or /proc said no: measured again next time
        }
    }

    /** The platform takes no field over 1024 characters, and refuses the whole heartbeat for one. */
    static String capped(String text) {
        return text.length() <= MAX_FIELD ? text : text.substring(0, MAX_FIELD - 3) + "...";
    }

    private static final int MAX_FIELD = 1024;

    /** The OCI config the container runs from (root-only: it holds secret values). */
    static OciSpec bundle(ManagedContainer m) throws IOException {
        return bundle(m.dir);
    }

    static OciSpec bundle(ContainerDir dir) throws IOException {
        return JSON.readValue(Files.readString(dir.config()), OciSpec.class);
    }
}
