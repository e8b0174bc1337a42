package dev.berth.agent.daemon;

import dev.berth.agent.bundle.OciSpec;
import dev.berth.agent.inspect.IsolationInspector;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.protocol.IsolationCheck;
import java.io.IOException;
import java.nio.file.Files;
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

    IsolationReports(boolean cgroupV2) {
        this.cgroupV2 = cgroupV2;
    }

    /** The report of process {@code pid}, measured now. */
    IsolationReport measure(ManagedContainer m, long pid) throws IOException {
        var writable = new ArrayList<String>();
        m.spec.volumes().forEach(v -> writable.add(v.path()));
        m.spec.tmpfs().forEach(t -> writable.add(t.path()));
        return IsolationReport.evaluate(bundle(m), new IsolationInspector().observe(pid, cgroupV2), writable);
    }

    /** The report of process {@code pid} as the platform hears it, measured the first time it is asked for. */
    List<IsolationCheck> checks(ManagedContainer m, long pid) {
        var cached = m.isolation;
        if (cached != null && cached.pid() == pid) return cached.checks();
        try {
            var checks = measure(m, pid).items().stream()
                    .map(i -> new IsolationCheck(i.name(), i.pass(), i.expected(), i.actual())).toList();
            m.isolation = new ManagedContainer.Isolation(pid, checks);
            return checks;
        } catch (IOException | RuntimeException e) {
            return List.of(); // it ended meanwhile, or /proc said no: measured again next time
        }
    }

    /** The OCI config the container runs from (root-only: it holds secret values). */
    static OciSpec bundle(ManagedContainer m) throws IOException {
        return bundle(m.dir);
    }

    static OciSpec bundle(ContainerDir dir) throws IOException {
        return JSON.readValue(Files.readString(dir.config()), OciSpec.class);
    }
}
