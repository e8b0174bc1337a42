package dev.berth.agent.bundle;

import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.HealthCheck;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Copies a container spec with some fields changed, for table-driven tests. */
final class Specs {
    private Specs() {
    }

    /** The spec's fields, editable. */
    static final class Draft {
        String name;
        String app;
        String rootfs;
        String image;
        List<String> command;
        Map<String, String> env;
        ContainerSpec.UserId user;
        String workingDir;
        ContainerSpec.Resources resources;
        List<ContainerSpec.VolumeMount> volumes;
        List<ContainerSpec.TmpfsMount> tmpfs;
        List<ContainerSpec.PortPublish> ports;
        List<String> capabilities;
        HealthCheck health;
        ContainerSpec.RestartPolicy restart;
    }

    static ContainerSpec with(ContainerSpec s, Consumer<Draft> change) {
        var d = new Draft();
        d.name = s.name();
        d.app = s.app();
        d.rootfs = s.rootfs();
        d.image = s.image();
        d.command = s.command();
        d.env = s.env();
        d.user = s.user();
        d.workingDir = s.workingDir();
        d.resources = s.resources();
        d.volumes = s.volumes();
        d.tmpfs = s.tmpfs();
        d.ports = s.ports();
        d.capabilities = s.capabilities();
        d.health = s.health();
        d.restart = s.restart();
        change.accept(d);
        return new ContainerSpec(s.version(), d.name, d.app, d.rootfs, d.image, d.command, d.env, d.user, d.workingDir, d.resources,
                d.volumes, d.tmpfs, d.ports, d.capabilities, d.health, null, d.restart);
    }
}
