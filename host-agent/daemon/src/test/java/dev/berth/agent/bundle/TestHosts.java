package dev.berth.agent.bundle;

import dev.berth.agent.protocol.ContainerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Fixtures: a host like the CI machine (runc 1.1.5, amd64, hybrid cgroups) and a typical spec. */
final class TestHosts {
    /** Where the agent prepared the root filesystem of the test container. */
    static final String ROOTFS = "/var/lib/berth-agent/rootfs/web/131072";
    private TestHosts() {
    }

    static String runcFeatures() {
        try (var in = TestHosts.class.getResourceAsStream("/runc-1.1.5-features.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HostFacts amd64(boolean cgroupV2) {
        return new HostFacts("amd64", cgroupV2, "6.1.0-28-amd64", RuntimeFeaturesParser.parse(runcFeatures()));
    }

    static ContainerSpec web() {
        return new ContainerSpec(ContainerSpec.VERSION, "web-1", "web", "/srv/rootfs", null,
                List.of("/bin/httpd", "-f", "-p", "8080"), Map.of("GREETING", "hello"),
                new ContainerSpec.UserId(1000, 1000), "/srv",
                new ContainerSpec.Resources(128L << 20, 500, 128),
                List.of(new ContainerSpec.VolumeMount("data", "/data", 64L << 20)),
                List.of(new ContainerSpec.TmpfsMount("/tmp", 16L << 20)),
                List.of(new ContainerSpec.PortPublish("127.0.0.1", 18080, 8080)),
                List.of(), new dev.berth.agent.protocol.HealthCheck.Http(8080, "/healthz"), null, ContainerSpec.RestartPolicy.ON_FAILURE, null);
    }

    static BundleContext context(ContainerSpec spec, HostFacts host) {
        return new BundleContext(spec, host, new IdRange(131072, IdRange.SIZE), ROOTFS,
                Map.of("data", "/var/lib/berth-agent/volumes/web/data/mnt"), "/berth/web-1");
    }

    static BundleContext context(ContainerSpec spec) {
        return context(spec, amd64(false));
    }
}
