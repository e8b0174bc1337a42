package dev.berth.agent.daemon;

import dev.berth.agent.bundle.BundleValidator;
import dev.berth.agent.bundle.IdRange;
import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.ContainerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the platform may ask a host for. A container the platform assigns runs from an image, in
 * its app's own id range, on ports and addresses the agent picks; every field that reaches a host
 * directory, a host port or address, or host ids is kept for the person at the host
 * ({@code berth-agent run}), so a compromised platform or link cannot reach host files or take
 * over a host port. Each refusal names the field and says why. Pure.
 */
final class PlatformGrant {
    private PlatformGrant() {
    }

    /** Why the platform may not have {@code assigned} run, field by field; empty when it may. */
    static List<String> refusals(AssignedContainer assigned) {
        ContainerSpec spec = assigned.spec();
        var out = new ArrayList<String>();
        if (!ContainerNames.valid(spec.name())) {
            out.add("name '" + spec.name() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-' (it names a directory on the host)");
        }
        if (!ContainerNames.valid(spec.app())) {
            out.add("app '" + spec.app() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-' (it names the app's volumes on the host)");
        }
        if (spec.rootfs() != null) {
            out.add("rootfs names a host directory (" + spec.rootfs() + "); only a person at the host may run one "
                    + "('berth-agent run --rootfs'), the platform must send an image");
        } else if (spec.image() == null || spec.image().isBlank()) {
            out.add("image is missing; the platform must send an image");
        }
        if (spec.workingDir() != null) {
            inImage(spec.workingDir()).ifPresent(why -> out.add("workingDir '" + spec.workingDir() + "' " + why));
        }
        if (spec.user() != null && (outsideRange(spec.user().uid()) || outsideRange(spec.user().gid()))) {
            out.add("user " + spec.user().uid() + ":" + spec.user().gid() + " is outside the container's ids 0-"
                    + (IdRange.SIZE - 1) + " (other ids are the host's)");
        }
        for (int i = 0; i < spec.ports().size(); i++) {
            var p = spec.ports().get(i);
            String field = "ports[" + i + "]";
            if (p.hostAddress() != null && !p.hostAddress().isEmpty()) {
                out.add(field + ".hostAddress '" + p.hostAddress() + "': the host's address is the agent's to choose "
                        + "(--publish-address), not the platform's");
            }
            if (p.hostPort() != 0) {
                out.add(field + ".hostPort " + p.hostPort() + ": host ports come from the agent's range (--port-range); "
                        + "the platform sends 0");
            }
            if (p.containerPort() < 1 || p.containerPort() > 65535) {
                out.add(field + ".containerPort " + p.containerPort() + " is not a port (1-65535)");
            }
        }
        for (int i = 0; i < spec.volumes().size(); i++) {
            var v = spec.volumes().get(i);
            if (!ContainerNames.valid(v.name())) {
                out.add("volumes[" + i + "].name '" + v.name() + "' must be 1-63 lowercase letters, digits, '.', '_' or '-' "
                        + "(it names the volume's directory on the host)");
            }
            String field = "volumes[" + i + "].path '" + v.path() + "' ";
            inImage(v.path()).ifPresent(why -> out.add(field + why));
        }
        for (int i = 0; i < spec.tmpfs().size(); i++) {
            var t = spec.tmpfs().get(i);
            String field = "tmpfs[" + i + "].path '" + t.path() + "' ";
            inImage(t.path()).ifPresent(why -> out.add(field + why));
        }
        return List.copyOf(out);
    }

    /** All refusals in one message for the container's status, or null when there is none. */
    static String refusal(AssignedContainer assigned) {
        var refusals = refusals(assigned);
        if (refusals.isEmpty()) return null;
        return "refused by the agent: the platform may not ask for this; " + String.join("; ", refusals);
    }

    /** Empty when {@code path} is a clean absolute path in the container's own tree, not the runtime's. */
    private static Optional<String> inImage(String path) {
        var unclean = BundleValidator.cleanAbsolute(path);
        if (unclean.isPresent()) return unclean.map(why -> why + " (a path inside the image)");
        for (String root : BundleValidator.RUNTIME_ROOTS) {
            if (BundleValidator.under(path, root)) return Optional.of("is under " + root + ", which belongs to the runtime");
        }
        return Optional.empty();
    }

    private static boolean outsideRange(int id) {
        return id < 0 || id >= IdRange.SIZE;
    }
}
