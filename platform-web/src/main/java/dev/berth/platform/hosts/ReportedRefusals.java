package dev.berth.platform.hosts;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.protocol.RefusedDestination;
import dev.berth.platform.problem.Problem;
import java.util.regex.Pattern;

/** Bounds what a heartbeat may say the firewall refused one container. Pure. */
final class ReportedRefusals {
    private static final Pattern ADDRESS = Pattern.compile("[0-9a-fA-F.:]{2,45}");
    private static final Pattern PROTOCOL = Pattern.compile("[a-z0-9-]{1,16}");

    private ReportedRefusals() {
    }

    /** @throws Problem.Invalid naming the container and what is wrong */
    static void check(ContainerStatus c) {
        String where = "container '" + c.name() + "': ";
        if (c.refused().size() > ContainerStatus.MAX_REFUSED) {
            throw new Problem.Invalid(where + "at most " + ContainerStatus.MAX_REFUSED + " refused destinations, not "
                    + c.refused().size());
        }
        if (c.refusedLeftOut() < 0) throw new Problem.Invalid(where + "refusedLeftOut cannot be negative");
        for (RefusedDestination r : c.refused()) {
            if (r == null || !ADDRESS.matcher(r.destination()).matches() || !PROTOCOL.matcher(r.protocol()).matches()
                    || r.port() < 0 || r.port() > 65535 || r.count() < 0 || r.lastSeen() == null) {
                throw new Problem.Invalid(where + "every refused destination needs an IP address, a protocol of at most "
                        + "16 lower-case letters or digits, a port from 0 to 65535, a count of at least 0 and lastSeen");
            }
        }
    }
}
