package dev.berth.platform.repositories;

import dev.berth.gitsync.hosted.RepositoryName;
import dev.berth.platform.security.AccessPolicy;
import dev.berth.platform.security.Caller;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.Permission;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may fetch and push what, in front of the git servlet: team VIEWERs fetch, DEPLOYERs and
 * ADMINs push. A repository the caller may not see answers exactly as one that does not exist.
 */
public class GitAccessFilter extends OncePerRequestFilter {
    private final RepositoryStore store;
    private final CallerResolver callers;

    public GitAccessFilter(RepositoryStore store, CallerResolver callers) {
        this.store = store;
        this.callers = callers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        RepositoryName repo = path.startsWith("/git/") ? RepositoryName.fromRequestPath(path.substring(4)) : null;
        Caller caller = callers.resolve(org.springframework.security.core.context.SecurityContextHolder.getContext().getAuthentication())
                .orElse(null);
        if (repo == null || caller == null || store.find(repo.team(), repo.name()).isEmpty()) {
            notFound(response);
            return;
        }
        boolean push = path.endsWith("/git-receive-pack") || "git-receive-pack".equals(request.getParameter("service"));
        switch (AccessPolicy.decide(caller, push ? Permission.PUSH_REPOSITORY : Permission.FETCH_REPOSITORY, repo.team())) {
            case AccessPolicy.Allowed a -> chain.doFilter(request, response);
            case AccessPolicy.Hidden h -> notFound(response);
            case AccessPolicy.Denied d -> {
                response.setStatus(403);
                response.setContentType("text/plain;charset=utf-8");
                response.getWriter().println(d.reason());
            }
        }
    }

    private static void notFound(HttpServletResponse response) throws IOException {
        response.setStatus(404);
        response.setContentType("text/plain;charset=utf-8");
        response.getWriter().println("repository not found");
    }
}
