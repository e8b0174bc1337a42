package dev.berth.platform.repositories;

import dev.berth.gitsync.hosted.GitRoute;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.Permission;
import dev.berth.platform.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Who may fetch and push what, in front of the git servlet: team VIEWERs fetch, DEPLOYERs and
 * ADMINs push. The repository and whether the request fetches or pushes come from the request's
 * {@link GitRoute}, the same one the servlet serves by. A repository the caller may not see
 * answers exactly as one that does not exist. Every refusal, the servlet's own included, is a
 * problem document.
 */
public class GitAccessFilter extends OncePerRequestFilter {
    private final RepositoryStore store;
    private final CallerResolver callers;
    private final ProblemWriter problems;

    public GitAccessFilter(RepositoryStore store, CallerResolver callers, ProblemWriter problems) {
        this.store = store;
        this.callers = callers;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        GitRoute route = GitRequests.route(request);
        if (!(route instanceof GitRoute.To to)) {
            refuse(request, response, (GitRoute.Refused) route);
            return;
        }
        Caller caller = callers.resolve(SecurityContextHolder.getContext().getAuthentication()).orElse(null);
        var repo = to.repository();
        if (caller == null || store.find(repo.team(), repo.name()).isEmpty()) {
            notFound(request, response);
            return;
        }
        var permission = to.operation() == GitRoute.Operation.PUSH ? Permission.PUSH_REPOSITORY : Permission.FETCH_REPOSITORY;
        switch (AccessPolicy.decide(caller, permission, repo.team())) {
            case AccessPolicy.Allowed a -> chain.doFilter(request, new ErrorsAsProblems(request, response, problems));
            case AccessPolicy.Hidden h -> notFound(request, response);
            case AccessPolicy.Denied d -> problems.write(request, response, 403, "Forbidden", d.reason());
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, GitRoute.Refused refused) throws IOException {
        if (refused instanceof GitRoute.MethodNotAllowed m) response.setHeader("Allow", String.join(", ", m.allowed()));
        problems.write(request, response, refused.status(), HttpStatus.valueOf(refused.status()).getReasonPhrase(), refused.detail());
    }

    private void notFound(HttpServletRequest request, HttpServletResponse response) throws IOException {
        problems.write(request, response, 404, "Not Found", "repository not found");
    }

    /**
     * The git servlet reports HTTP errors with {@code sendError}; they are written here as
     * problem documents rather than rendered by an error dispatch through the dashboard.
     */
    private static final class ErrorsAsProblems extends HttpServletResponseWrapper {
        private final HttpServletRequest request;
        private final ProblemWriter problems;

        ErrorsAsProblems(HttpServletRequest request, HttpServletResponse response, ProblemWriter problems) {
            super(response);
            this.request = request;
            this.problems = problems;
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (isCommitted()) {
                super.sendError(status, message);
                return;
            }
            var known = HttpStatus.resolve(status);
            String title = known == null ? "Error" : known.getReasonPhrase();
            // Server-side failures say no more than their status: the detail is for the server log.
            String detail = status >= 500 || message == null || message.isBlank() ? title : message;
            resetBuffer();
            try {
                problems.write(request, (HttpServletResponse) getResponse(), status, title, detail);
            } catch (IllegalStateException streamInUse) {
                super.sendError(status, message);
            }
        }
    }
}
