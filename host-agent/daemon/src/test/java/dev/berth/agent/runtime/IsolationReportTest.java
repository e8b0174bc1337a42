package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.bundle.BundleBuilder;
import dev.berth.agent.bundle.BundleContext;
import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.bundle.OciSpec;
import dev.berth.agent.inspect.IsolationInspector;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.protocol.ContainerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The isolation report of a running container, read from outside the live process. */
class IsolationReportTest {
    private RuntimeFixture host;
    private String id;
    private OciSpec promised;

    @BeforeEach
    void startContainer() throws Exception {
        host = new RuntimeFixture(new IdRange(7 * 65536, IdRange.SIZE), "sh", "sleep");
        var spec = host.spec("exec sleep 300", new ContainerSpec.Resources(48L << 20, 250, 32),
                List.of(new ContainerSpec.TmpfsMount("/tmp", 1L << 20), new ContainerSpec.TmpfsMount("/data", 2L << 20)));
        id = spec.name();
        promised = BundleBuilder.build(new BundleContext(spec, host.host, host.range, host.rootfs.toString(), Map.of(), RuntimeFixture.cgroupsPath(spec)));
        host.runc.runDetached(id, host.bundle(spec, Map.of()), host.work.resolve(id + ".log"));
    }

    @AfterEach
    void removeContainer() throws Exception {
        if (id != null) host.runc.delete(id, true);
        if (host != null) host.close();
    }

    @Test
    void everyPromiseHoldsInTheLiveProcess() throws Exception {
        var state = host.runc.state(id);
        assertThat(state.status()).isEqualTo("running");
        var observed = new IsolationInspector().observe(state.pid(), host.host.cgroupV2());
        var report = IsolationReport.evaluate(promised, observed, List.of("/tmp", "/data"));
        assertThat(report.items()).as(report.toString()).allSatisfy(item -> assertThat(item.pass()).as(item.toString()).isTrue());
        assertThat(report.items()).extracting(IsolationReport.Item::name)
                .contains("capabilities CapEff", "no new privileges", "seccomp filter", "uid_map", "root read-only",
                        "/tmp flags", "/data flags", "pid namespace", "net namespace", "user namespace", "memory limit",
                        "pids limit", "cpu quota", "devices in /dev");
    }

    @Test
    void aBrokenPromiseShowsAsAFailedItem() throws Exception {
        var state = host.runc.state(id);
        var observed = new IsolationInspector().observe(state.pid(), host.host.cgroupV2());
        // Claim more than was granted: the report must say the live process disagrees.
        promised.process.capabilities.bounding = new ArrayList<>(List.of("CAP_CHOWN", "CAP_NET_BIND_SERVICE"));
        promised.linux.resources.memory = new OciSpec.Memory(1L << 30, 1L << 30);
        var report = IsolationReport.evaluate(promised, observed, List.of("/tmp"));
        assertThat(report.allPass()).isFalse();
        assertThat(report.items()).filteredOn(i -> !i.pass()).extracting(IsolationReport.Item::name)
                .contains("capabilities CapBnd", "memory limit");
    }
}
