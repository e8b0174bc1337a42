package dev.berth.platform.hosts;

import dev.berth.agent.protocol.EdgeStatus;
import dev.berth.platform.problem.Problem;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks what an agent reports of its edge before it is kept: an IP address (the platform
 * compares DNS answers with it, so a name would need a lookup of its own), a generation that is
 * not negative, an error of bounded length, traffic per app named as apps are. Pure.
 */
final class EdgeReport {
    static final int MAX_ERROR = HostService.MAX_REPORTED_TEXT;
    /** A team's name, a slash, an app's name. */
    private static final Pattern APP = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?/[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

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
        return new EdgeStatus(address, edge.appliedGeneration(), edge.error(), traffic(edge.traffic()));
    }

    /** Each app at most once, named {@code team/app} as teams and apps are named, with totals that add up. */
    private static List<EdgeStatus.AppRequests> traffic(List<EdgeStatus.AppRequests> traffic) {
        if (traffic.size() > EdgeStatus.MAX_TRAFFIC) {
            throw new Problem.Invalid("edge.traffic has " + traffic.size() + " apps; at most " + EdgeStatus.MAX_TRAFFIC + " are taken");
        }
        var seen = new HashSet<String>();
        for (int i = 0; i < traffic.size(); i++) {
            var t = traffic.get(i);
            String where = "edge.traffic[" + i + "]";
            if (t == null) throw new Problem.Invalid(where + " is null");
            if (t.app() == null || !APP.matcher(t.app()).matches()) {
                throw new Problem.Invalid(where + ".app must name an app as team/app (lower-case letters, digits and '-')");
            }
            if (!seen.add(t.app())) throw new Problem.Invalid(where + ": app '" + t.app() + "' is reported twice");
            if (t.requests() < 0 || t.bytes() < 0 || t.serverErrors() < 0 || t.serverErrors() > t.requests()) {
                throw new Problem.Invalid(where + ": requests and bytes cannot be negative, and serverErrors is between 0 and requests");
            }
        }
        return traffic;
    }
}
