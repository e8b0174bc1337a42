package dev.berth.platform.web.security;

import dev.berth.platform.problem.ProblemWriter;
import dev.berth.platform.security.ApiTokenAuthentication;
import dev.berth.platform.security.FailureAudit;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.users.UserAccounts;

/**
 * Authenticates {@code Authorization: Bearer berth_...}. A bad token ends the request with a
 * 401 problem that says what is wrong with it; it never falls through to anonymous access.
 */
public class ApiTokenFilter extends BearerFilter {
    private final TokenService tokens;
    private final UserAccounts users;

    public ApiTokenFilter(TokenService tokens, UserAccounts users, FailureAudit failures, ProblemWriter problems) {
        super(failures, problems, "token.rejected");
        this.tokens = tokens;
        this.users = users;
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
