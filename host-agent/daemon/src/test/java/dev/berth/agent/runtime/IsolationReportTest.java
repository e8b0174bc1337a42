package dev.berth.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.bundle.BundleBuilder;
import dev.berth.agent.bundle.BundleContext;
import dev.berth.agent.bundle.ConfigJson;
import dev.berth.agent.bundle.HostFacts;
import dev.berth.agent.bundle.HostProbe;
import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.bundle.OciSpec;
import dev.berth.agent.inspect.IsolationInspector;
import dev.berth.agent.inspect.IsolationReport;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.state.RootfsShifter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The isolation report of a running container, read from outside the live process. */
class IsolationReportTest {
    private static final IdRange RANGE = new IdRange(7 * 65536, IdRange.SIZE);
    private Path work;
    private Runc runc;
    private String id;
    private HostFacts host;
    private OciSpec promised;

    @BeforeEach
    void startContainer() throws Exception {
        RuntimePrerequisites.require();
        host = HostProbe.probe(RuntimePrerequisites.RUNC);
        work = Files.createTempDirectory("berth-inspect-test");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Path source = work.resolve("source");
        for (String dir : List.of("bin", "proc", "sys", "dev", "etc", "tmp", "data")) Files.createDirectories(source.resolve(dir));
        Files.copy(RuntimePrerequisites.BUSYBOX, source.resolve("bin/busybox"));
        Files.createSymbolicLink(source.resolve("bin/sleep"), Path.of("busybox"));
        Path rootfs = new RootfsShifter(work.resolve("state")).prepare(source, RANGE).rootfs();

        id = "berth-inspect-" + UUID.randomUUID().toString().substring(0, 8);
        var spec = new ContainerSpec(ContainerSpec.VERSION, id, "inspect-test", rootfs.toString(), List.of("/bin/sleep", "300"),
                Map.of(), null, "/", new ContainerSpec.Resources(48L << 20, 250, 32), List.of(),
                List.of(new ContainerSpec.TmpfsMount("/tmp", 1L << 20), new ContainerSpec.TmpfsMount("/data", 2L << 20)),
                List.of(), List.of(), null, null);
        promised = BundleBuilder.build(new BundleContext(spec, host, RANGE, Map.of(), "/berth-test/" + id));
        promised.root.path = rootfs.toString();
        Path bundle = work.resolve("bundle");
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("config.json"), ConfigJson.write(promised));
        runc = new Runc(RuntimePrerequisites.RUNC, work.resolve("runc-root"));
        runc.runDetached(id, bundle, work.resolve("container.log"));
    }

    @AfterEach
    void removeContainer() throws Exception {
        if (runc != null) runc.delete(id, true);
        if (work == null) return;
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void everyPromiseHoldsInTheLiveProcess() throws Exception {
        var state = runc.state(id);
        assertThat(state.status()).isEqualTo("running");
        var observed = new IsolationInspector().observe(state.pid(), host.cgroupV2());
        var report = IsolationReport.evaluate(promised, observed, List.of("/tmp", "/data"));
        assertThat(report.items()).as(report.toString()).allSatisfy(item -> assertThat(item.pass()).as(item.toString()).isTrue());
        assertThat(report.items()).extracting(IsolationReport.Item::name)
                .contains("capabilities CapEff", "no new privileges", "seccomp filter", "uid_map", "root read-only",
                        "/tmp flags", "/data flags", "pid namespace", "net namespace", "user namespace", "memory limit",
                        "pids limit", "cpu quota", "devices in /dev");
    }

    @Test
    void aBrokenPromiseShowsAsAFailedItem() throws Exception {
        var state = runc.state(id);
        var observed = new IsolationInspector().observe(state.pid(), host.cgroupV2());
        // Claim more than was granted: the report must say the live process disagrees.
        promised.process.capabilities.bounding = new ArrayList<>(List.of("CAP_CHOWN", "CAP_NET_BIND_SERVICE"));
        promised.linux.resources.memory = new OciSpec.Memory(1L << 30, 1L << 30);
        var report = IsolationReport.evaluate(promised, observed, List.of("/tmp"));
        assertThat(report.allPass()).isFalse();
        assertThat(report.items()).filteredOn(i -> !i.pass()).extracting(IsolationReport.Item::name)
                .contains("capabilities CapBnd", "memory limit");
    }
}
