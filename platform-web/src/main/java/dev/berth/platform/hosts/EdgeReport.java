package dev.berth.platform.hosts;

import dev.berth.agent.protocol.EdgeStatus;
import dev.berth.platform.problem.Problem;
import java.net.InetAddress;

/**
 * Checks what an agent reports of its edge before it is kept: an IP address (the platform
 * compares DNS answers with it, so a name would need a lookup of its own), a generation that is
 * not negative, an error of bounded length. Pure.
 */
final class EdgeReport {
    static final int MAX_ERROR = HostService.MAX_REPORTED_TEXT;

    private EdgeReport() {
    }

    /** The report as kept: its address in canonical form. */
    static EdgeStatus checked(EdgeStatus edge) {
        if (edge.address() == null || edge.address().isBlank()) throw new Problem.Invalid("edge.address is missing");
        if (edge.address().length() > 45 || !edge.address().matches("[0-9A-Fa-f:.]+")) {
            throw new Problem.Invalid("edge.address must be an IPv4 or IPv6 address, not a name");
        }
        String address;
        try {
            address = InetAddress.ofLiteral(edge.address()).getHostAddress();
        } catch (IllegalArgumentException e) {
            throw new Problem.Invalid("edge.address must be an IPv4 or IPv6 address, not a name");
        }
        if (edge.appliedGeneration() < 0) throw new Problem.Invalid("edge.appliedGeneration cannot be negative");
        if (edge.error() != null && edge.error().length() > MAX_ERROR) {
            throw new Problem.Invalid("edge.error is " + edge.error().length() + " characters long; at most " + MAX_ERROR + " are taken");
        }
        return new EdgeStatus(address, edge.appliedGeneration(), edge.error());
    }
}
