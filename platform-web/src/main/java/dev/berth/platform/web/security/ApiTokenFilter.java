package dev.berth.platform.web.security;

import dev.berth.platform.problem.ProblemWriter;
import dev.berth.platform.security.ApiTokenAuthentication;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserAccounts;

/**
 * Authenticates {@code Authorization: Bearer berth_...}. A bad token ends the request with a
 * 401 problem that says what is wrong with it; it never falls through to anonymous access.
 */
public class ApiTokenFilter extends BearerFilter {
    private final TokenService tokens;
    private final UserAccounts users;
    private final FailureAudit failures;

    public ApiTokenFilter(TokenService tokens, UserAccounts users, AuditLog audit, FailureAudit failures,
                          ProblemWriter problems) {
        super(audit, problems, "token.rejected");
        this.tokens = tokens;
        this.users = users;
        this.failures = failures;
    }

    /** Wrong tokens are unauthenticated failures: a flood of them must not queue on the audit log. */
    @Override
    protected void auditRefusal(AuditEvent.Builder event) {
        failures.report(event);
    }

    @Override
    protected Verdict check(String presented) {
        return switch (tokens.authenticate(presented)) {
            case TokenService.Valid v -> {
                var user = users.find(v.userId()).orElseThrow();
                yield new Accepted(new ApiTokenAuthentication(v.userId(), v.token(), user.platformAdmin()));
            }
            case TokenService.Rejected r -> new Refused(r.reason());
        };
    }
}
