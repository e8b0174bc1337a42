package dev.berth.platform.web.security;

import dev.berth.platform.security.BerthUser;
import dev.berth.platform.users.UserAccounts;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a dashboard session whose password has since been changed or reset. The session's
 * principal carries the account's credentials version from when its password was checked; each
 * request compares it with the database, so a reset on any platform instance ends the sessions
 * on all of them, at their next request. (The caller resolver makes the same comparison, so
 * nothing a stale session asks for is done even on a path this filter does not see.)
 */
public class SessionCredentials extends OncePerRequestFilter {
    private final UserAccounts users;

    public SessionCredentials(UserAccounts users) {
        this.users = users;
    }

    /** Whether a signed-in principal is still valid: its account exists and its version is current. */
    static boolean current(BerthUser principal, Optional<Long> version) {
        return version.isPresent() && version.get() == principal.credentialsVersion();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof BerthUser user
                && !current(user, users.credentialsVersion(user.id()))) {
            var session = request.getSession(false);
            if (session != null) session.invalidate();
            SecurityContextHolder.clearContext();
        }
        chain.doFilter(request, response);
    }
}
