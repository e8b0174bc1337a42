package dev.berth.platform.operations;

import dev.berth.platform.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The outermost filter: a request that failed because the database is unreachable answers 503 with
 * {@link DatabaseOutage#SENTENCE}, wherever it failed (a credential lookup in a security filter, the
 * git servlet, a controller whose advice let it through). Machine areas get a problem document, git
 * one line of text (what git prints), the dashboard a short page; never a stack trace or the
 * container's error page. A pool timeout while the database answers ({@link PoolTimeouts}) is told
 * apart: 503 in the same forms, saying the platform is overloaded. Anything else passes on unchanged.
 */
public class OutageFilter extends OncePerRequestFilter {
    private static final System.Logger LOG = System.getLogger(OutageFilter.class.getName());
    private final ProblemWriter problems;
    private final PoolTimeouts poolTimeouts;

    public OutageFilter(ProblemWriter problems, PoolTimeouts poolTimeouts) {
        this.problems = problems;
        this.poolTimeouts = poolTimeouts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            if (!DatabaseOutage.in(e) || response.isCommitted()) throw e;
            if (poolTimeouts.overloaded(e)) {
                String sentence = DatabaseOutage.overloaded(DatabaseOutage.poolTimeout(e));
                LOG.log(System.Logger.Level.WARNING, request.getMethod() + " " + request.getRequestURI()
                        + " answered 503: no database connection was free (" + e.getMessage() + ")");
                response.reset();
                writeOverloaded(request, response, sentence);
                return;
            }
            LOG.log(System.Logger.Level.WARNING, request.getMethod() + " " + request.getRequestURI()
                    + " answered 503: the database is unreachable (" + e.getMessage() + ")");
            response.reset();
            write(request, response);
        }
    }

    /** The pool timed out while the database answers: the same forms, the overload's sentence. */
    private void writeOverloaded(HttpServletRequest request, HttpServletResponse response, String sentence) throws IOException {
        response.setHeader("Retry-After", Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
        switch (Area.of(request.getRequestURI())) {
            case MACHINE -> problems.write(request, response, 503, DatabaseOutage.OVERLOADED_TITLE, sentence);
            case GIT -> {
                response.setStatus(503);
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().write(sentence + "\n");
            }
            case DASHBOARD -> {
                response.setStatus(503);
                response.setContentType("text/html;charset=UTF-8");
                response.getWriter().write("<!doctype html><title>Berth: " + DatabaseOutage.OVERLOADED_TITLE + "</title>"
                        + "<p id=\"platform-overloaded\">" + capitalised(sentence) + ".</p>");
            }
        }
    }

    private static String capitalised(String sentence) {
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    private void write(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Retry-After", Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
        switch (Area.of(request.getRequestURI())) {
            case MACHINE -> problems.write(request, response, 503, DatabaseOutage.TITLE, DatabaseOutage.SENTENCE);
            case GIT -> {
                response.setStatus(503);
                response.setContentType("text/plain;charset=UTF-8");
                response.getWriter().write(DatabaseOutage.SENTENCE + "\n");
            }
            case DASHBOARD -> {
                response.setStatus(503);
                response.setContentType("text/html;charset=UTF-8");
                response.getWriter().write("<!doctype html><title>Berth: " + DatabaseOutage.TITLE + "</title>"
                        + "<p id=\"database-unavailable\">The platform's database is unreachable; running apps are not"
                        + " affected. Try again shortly.</p>");
            }
        }
    }

    /** Who is asking, by path: each gets the answer it can show. */
    enum Area {
        MACHINE, GIT, DASHBOARD;

        static Area of(String path) {
            if (path == null) return DASHBOARD;
            if (path.startsWith("/git/")) return GIT;
            if (path.startsWith("/api/") || path.startsWith("/agent/") || path.startsWith("/actuator/")) return MACHINE;
            return DASHBOARD;
        }
    }
}
