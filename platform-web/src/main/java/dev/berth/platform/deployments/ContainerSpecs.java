package dev.berth.platform.deployments;

import dev.berth.agent.protocol.ContainerSpec;
import dev.berth.agent.protocol.HealthCheck;
import dev.berth.agent.protocol.HealthTiming;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Health;
import dev.berth.gitsync.definition.Network;
import dev.berth.image.ImageReference;

/**
 * What an agent is asked to run for one replica: the app's definition as berth.yaml declared it,
 * with the image pinned to the digest resolved at push time. Pure.
 */
public final class ContainerSpecs {
    private ContainerSpecs() {
    }

    /**
     * The spec of one replica.
     *
     * @param team the app's team
     * @param app the app as its revision defines it
     * @param digest the digest its image was pinned to, {@code sha256:...}
     * @param container the replica's container name (see {@link AgentNames#container(String)})
     */
    public static ContainerSpec of(String team, AppDefinition app, String digest, String container) {
        var r = app.resources();
        var user = app.user() == null ? null : new ContainerSpec.UserId(app.user().uid(), app.user().gid());
        // hostPort 0: the agent picks a port from its range, stable per app and container port.
        var ports = app.ports().stream().filter(p -> p.publish())
                .map(p -> new ContainerSpec.PortPublish(null, 0, p.port())).toList();
        var health = app.health();
        return new ContainerSpec(ContainerSpec.VERSION, container, AgentNames.app(team, app.name()), null,
                pinned(app.image(), digest), app.command(), app.env(), user, null,
                new ContainerSpec.Resources(r.memoryBytes(), r.cpuMillis(), r.pids()),
                app.volumes().stream().map(v -> new ContainerSpec.VolumeMount(v.name(), v.mount(), v.sizeBytes())).toList(),
                app.tmpfs().stream().map(t -> new ContainerSpec.TmpfsMount(t.mount(), t.sizeBytes())).toList(),
                ports, app.capabilities(), health == null ? null : check(health.check()),
                health == null ? null : timing(health), ContainerSpec.RestartPolicy.ON_FAILURE, network(team, app.network()));
    }

    /** berth.yaml's network as the agent takes it: connects name the producing app team-qualified, as the agent names apps. */
    static ContainerSpec.Network network(String team, Network declared) {
        return new ContainerSpec.Network(
                declared.egress() == Network.Egress.PUBLIC ? ContainerSpec.Egress.PUBLIC : ContainerSpec.Egress.NONE,
                declared.egressTo().stream().map(to -> new ContainerSpec.EgressRule(to.cidr(), to.port())).toList(),
                declared.connects().stream().map(c -> new ContainerSpec.Connect(AgentNames.app(team, c.app()), c.port(), c.local()))
                        .toList());
    }

    /** {@code registry/repo:tag} or {@code registry/repo@sha256:old} becomes {@code registry/repo@digest}. */
    static String pinned(String image, String digest) {
        return ImageReference.pin(image, digest);
    }

    private static HealthCheck check(Health.Check check) {
        return switch (check) {
            case Health.Http http -> new HealthCheck.Http(http.port(), http.path());
            case Health.Tcp tcp -> new HealthCheck.Tcp(tcp.port());
            case Health.Exec exec -> new HealthCheck.Exec(exec.command());
        };
    }

    private static HealthTiming timing(Health health) {
        return new HealthTiming(health.interval().toMillis(), health.timeout().toMillis(), health.healthyAfter(),
                HealthTiming.DEFAULT.unhealthyAfter());
    }
}
