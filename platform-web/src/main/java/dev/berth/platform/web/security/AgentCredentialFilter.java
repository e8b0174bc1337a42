package dev.berth.platform.web.security;

import dev.berth.platform.hosts.AgentAuthentication;
import dev.berth.platform.hosts.AgentCredential;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.web.security.BearerFilter;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.problem.ProblemWriter;

/**
 * Authenticates {@code Authorization: Bearer berth-agent_...} on the agent chain and nothing else:
 * a person's API token, or anything not a valid agent credential, ends the request with a 401.
 */
public class AgentCredentialFilter extends BearerFilter {
    private final HostService hosts;

    public AgentCredentialFilter(HostService hosts, FailureAudit failures, ProblemWriter problems) {
        super(failures, problems, "agent.rejected");
        this.hosts = hosts;
    }

    @Override
    protected Verdict check(String presented) {
        return switch (hosts.authenticate(presented)) {
            case HostService.AgentCheck.Valid v -> new Accepted(new AgentAuthentication(v.hostId()));
            case HostService.AgentCheck.Removed r -> new Refused(HostService.removedMessage(r.hostId()));
            case HostService.AgentCheck.Invalid i -> new Refused(AgentCredential.parse(presented).isPresent()
                    ? "the agent credential is not valid"
                    : presented.startsWith("berth_") ? "a person's API token cannot act as a host agent; use the agent's credential"
                    : "the bearer token is not a Berth agent credential");
        };
    }
}
