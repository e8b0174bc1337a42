package dev.berth.agent.runtime;

import dev.berth.agent.bundle.BundleBuilder;
import dev.berth.agent.bundle.BundleContext;
import dev.berth.agent.bundle.ConfigJson;
import dev.berth.agent.bundle.HostFacts;
import dev.berth.agent.bundle.HostProbe;
import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.bundle.OciSpec;
import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.state.RootfsShifter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A scratch host for runtime tests: a temp state directory, a busybox root filesystem shifted into
 * one id range, and bundles built by the real builder. Closing it removes everything.
 */
final class RuntimeFixture implements AutoCloseable {
    final Path work;
    final Path rootfs;
    final HostFacts host;
    final IdRange range;
    final Runc runc;

    RuntimeFixture(IdRange range, String... applets) throws IOException {
        RuntimePrerequisites.require();
        this.range = range;
        this.work = Files.createTempDirectory("berth-runtime-test");
        this.runc = Runc.forStateDirectory(RuntimePrerequisites.RUNC, work);
        this.host = HostProbe.probe(runc);
        // Container root is an unprivileged host uid: it must be able to pass through to the rootfs.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Path source = Busybox.tree(work.resolve("source"), applets);
        this.rootfs = new RootfsShifter(work.resolve("state")).prepare(source, range).rootfs();
    }

    /** A spec for a container running {@code script} under /bin/sh, with small limits. */
    ContainerSpec spec(String script, ContainerSpec.Resources resources, List<ContainerSpec.VolumeMount> volumes,
                       List<ContainerSpec.TmpfsMount> tmpfs) {
        String id = "berth-t-" + UUID.randomUUID().toString().substring(0, 8);
        return new ContainerSpec(ContainerSpec.VERSION, id, "runtime-test", rootfs.toString(), null, List.of("/bin/sh", "-c", script),
                Map.of(), null, "/", resources, volumes, tmpfs, List.of(), List.of(), null, null, null, null);
    }

    ContainerSpec spec(String script, ContainerSpec.Resources resources, List<ContainerSpec.TmpfsMount> tmpfs) {
        return spec(script, resources, List.of(), tmpfs);
    }

    /** Runs the container in the foreground until it ends; returns everything it printed. */
    String runToEnd(ContainerSpec spec, Map<String, String> volumeSources) throws IOException, InterruptedException {
        var bundle = bundle(spec, volumeSources);
        String binary = RuntimePrerequisites.RUNC.toString();
        String root = work.resolve("runc").toString();
        try {
            var p = new ProcessBuilder(binary, "--root", root, "run", "--bundle", bundle.toString(), spec.name())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) throw new IOException(spec.name() + " ran past 60s");
            return out;
        } finally {
            new ProcessBuilder(binary, "--root", root, "delete", "--force", spec.name()).start().waitFor();
        }
    }

    ContainerSpec spec(String script) {
        return spec(script, new ContainerSpec.Resources(64L << 20, 500, 64), List.of());
    }

    /** Builds and writes the bundle; returns its directory. */
    Path bundle(ContainerSpec spec, Map<String, String> volumeSources) throws IOException {
        OciSpec oci = BundleBuilder.build(new BundleContext(spec, host, range, rootfs.toString(), volumeSources,
                cgroupsPath(spec)));
        Path bundle = work.resolve("bundles").resolve(spec.name());
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("config.json"), ConfigJson.write(oci));
        return bundle;
    }

    static String cgroupsPath(ContainerSpec spec) {
        return "/berth-test/" + spec.name();
    }

    Path containerDir(ContainerSpec spec) throws IOException {
        return Files.createDirectories(work.resolve("containers").resolve(spec.name()));
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> paths = Files.walk(work)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
