package dev.berth.platform.hosts;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.security.ProblemWriter;
import dev.berth.platform.security.RequestOrigin;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer berth-agent_...} on the agent chain and nothing else:
 * a person's API token, or anything not a valid agent credential, ends the request with a 401.
 */
public class AgentCredentialFilter extends OncePerRequestFilter {
    private final HostService hosts;
    private final AuditLog audit;
    private final ProblemWriter problems;

    public AgentCredentialFilter(HostService hosts, AuditLog audit, ProblemWriter problems) {
        this.hosts = hosts;
        this.audit = audit;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        String presented = header.substring(7).trim();
        var host = hosts.authenticate(presented);
        if (host.isPresent()) {
            var context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(new AgentAuthentication(host.get()));
            SecurityContextHolder.setContext(context);
            try {
                chain.doFilter(request, response);
            } finally {
                SecurityContextHolder.clearContext();
            }
            return;
        }
        String reason = AgentCredential.parse(presented).isPresent() ? "the agent credential is not valid"
                : presented.startsWith("berth_") ? "a person's API token cannot act as a host agent; use the agent's credential"
                : "the bearer token is not a Berth agent credential";
        var origin = RequestOrigin.of(request);
        audit.record(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "anonymous"),
                        "agent.rejected", request.getMethod() + " " + request.getRequestURI())
                .source(origin.address(), origin.userAgent())
                .outcome(AuditEvent.Outcome.FAILURE)
                .detail("reason", reason));
        problems.unauthorized(request, response, reason);
    }
}
