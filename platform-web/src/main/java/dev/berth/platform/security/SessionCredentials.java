package dev.berth.platform.security;

import dev.berth.platform.users.UserStore;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
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
    private final UserStore users;

    public SessionCredentials(UserStore users) {
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

    /**
     * Carries the current sign-in over to a new credentials version, after the user changed their
     * own password: this session stays, the others end. Returns the context to store in the
     * session (the holder is updated already); empty if the current sign-in is not a password one.
     */
    public static Optional<SecurityContext> carryOver(long version) {
        var auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !(auth.getPrincipal() instanceof BerthUser user)) return Optional.empty();
        var renewed = UsernamePasswordAuthenticationToken.authenticated(user.withCredentialsVersion(version), null,
                auth.getAuthorities());
        renewed.setDetails(auth.getDetails());
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(renewed);
        SecurityContextHolder.setContext(context);
        return Optional.of(context);
    }
}
