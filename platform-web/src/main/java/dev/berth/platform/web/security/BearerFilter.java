package dev.berth.platform.web.security;

import dev.berth.platform.problem.ProblemWriter;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.security.FailureAudit;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The shape every bearer credential filter shares: no {@code Authorization: Bearer} header passes
 * through untouched; a credential that checks out authenticates this one request; any other is
 * audited and ends the request with a 401 problem saying why, never falling through to anonymous.
 */
public abstract class BearerFilter extends OncePerRequestFilter {
    private final FailureAudit failures;
    private final ProblemWriter problems;
    private final String rejectedAction;

    /**
     * @param failures where refusals are audited: a wrong credential is an unauthenticated failure,
     *                 and a flood of them must not queue on the audit log
     * @param rejectedAction the audit action of a refused credential
     */
    protected BearerFilter(FailureAudit failures, ProblemWriter problems, String rejectedAction) {
        this.failures = failures;
        this.problems = problems;
        this.rejectedAction = rejectedAction;
    }

    /** What a presented credential proves. */
    public sealed interface Verdict permits Accepted, Refused {
    }

    public record Accepted(Authentication authentication) implements Verdict {
    }

    public record Refused(String reason) implements Verdict {
    }

    protected abstract Verdict check(String presented);

    @Override
    protected final void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        switch (check(header.substring(7).trim())) {
            case Accepted a -> {
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(a.authentication());
                SecurityContextHolder.setContext(context);
                try {
                    chain.doFilter(request, response);
                } finally {
                    SecurityContextHolder.clearContext();
                }
            }
            case Refused r -> {
                var origin = RequestOrigin.of(request);
                failures.report(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "anonymous"),
                                rejectedAction, request.getMethod() + " " + request.getRequestURI())
                        .source(origin.address(), origin.userAgent())
                        .outcome(AuditEvent.Outcome.FAILURE)
                        .detail("reason", r.reason()));
                problems.unauthorized(request, response, r.reason());
            }
        }
    }
}
