package dev.berth.platform.web.security.ui;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Vaadin exempts its login path from CSRF checks because the login view and the login POST share
 * it. That leaves login CSRF open (a foreign page signing a victim into an attacker's account),
 * so the POST is checked here against the same session token the login page embeds.
 */
class LoginCsrfFilter extends OncePerRequestFilter {
    private final String loginPath;
    private final CsrfTokenRepository tokens = new HttpSessionCsrfTokenRepository();
    private final XorCsrfTokenRequestAttributeHandler resolver = new XorCsrfTokenRequestAttributeHandler();

    LoginCsrfFilter(String loginPath) {
        this.loginPath = loginPath;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !loginPath.equals(request.getServletPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CsrfToken expected = tokens.loadToken(request);
        String presented = expected == null ? null : resolver.resolveCsrfTokenValue(request, expected);
        if (presented == null || !MessageDigest.isEqual(expected.getToken().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8))) {
            // Written directly: sendError would dispatch to /error, which redirects anonymous users.
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("Missing or wrong CSRF token: reload the sign-in page and try again.\n");
            return;
        }
        chain.doFilter(request, response);
    }
}
