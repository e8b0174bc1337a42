package dev.berth.platform.security;

import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserRepository;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code Authorization: Bearer berth_...}. A bad token ends the request with a
 * 401 problem that says what is wrong with it; it never falls through to anonymous access.
 */
public class ApiTokenFilter extends OncePerRequestFilter {
    private final TokenService tokens;
    private final UserRepository users;
    private final AuditLog audit;
    private final ProblemWriter problems;

    public ApiTokenFilter(TokenService tokens, UserRepository users, AuditLog audit, ProblemWriter problems) {
        this.tokens = tokens;
        this.users = users;
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
        switch (tokens.authenticate(header.substring(7).trim())) {
            case TokenService.Valid v -> {
                var user = users.find(v.userId()).orElseThrow();
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new ApiTokenAuthentication(v.userId(), v.token(), user.platformAdmin()));
                SecurityContextHolder.setContext(context);
                try {
                    chain.doFilter(request, response);
                } finally {
                    SecurityContextHolder.clearContext();
                }
            }
            case TokenService.Rejected r -> {
                var origin = RequestOrigin.of(request);
                audit.record(AuditEvent.of(new AuditEvent.Actor(AuditEvent.ActorType.ANONYMOUS, "anonymous"),
                                "token.rejected", request.getMethod() + " " + request.getRequestURI())
                        .source(origin.address(), origin.userAgent())
                        .outcome(AuditEvent.Outcome.FAILURE)
                        .detail("reason", r.reason()));
                problems.unauthorized(request, response, r.reason());
            }
        }
    }
}
