package dev.berth.platform.repositories;

import dev.berth.gitsync.hosted.GitRoute;
import dev.berth.platform.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs before the security chains and refuses git requests whose path is not canonical (400), so
 * that no chain is chosen, and no repository decided, from a spelling the container decodes into
 * another path. Whether a canonical path names an endpoint (404, 405) is told only to callers who
 * authenticated, by {@link GitAccessFilter}.
 */
class GitRouteFilter extends OncePerRequestFilter {
    private final ProblemWriter problems;

    GitRouteFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (GitRequests.isGit(request) && GitRequests.route(request) instanceof GitRoute.NotCanonical refused) {
            problems.write(request, response, refused.status(), "Bad Request", refused.detail());
            return;
        }
        chain.doFilter(request, response);
    }
}
