package dev.berth.platform.web;

import dev.berth.platform.problem.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first filter every request meets: it finds the request's {@link BodyArea} from the decoded,
 * normalised path, refuses at once a body whose Content-Length is over the area's limit, and
 * hands everything after it a request whose body counts while it is read (chunked bodies have no
 * length to check). Spring's message converters, Jackson and controllers all read through it.
 * Controllers' advice turns an overflow into 413; this filter does for everything else.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {
    static final String TOO_LARGE = "Request body too large";
    private final List<BodyArea> areas;
    private final BodyBudget budget;
    private final ProblemWriter problems;

    public BodyLimitFilter(List<BodyArea> areas, BodyBudget budget, ProblemWriter problems) {
        this.areas = List.copyOf(areas);
        this.budget = budget;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var area = BodyArea.find(areas, path(request));
        if (!area.capped()) {
            chain.doFilter(request, response);
            return;
        }
        long length = request.getContentLengthLong();
        if (length > area.limit()) {
            problems.write(request, response, 413, TOO_LARGE, area.tooLarge(length));
            return;
        }
        var capped = new CappedRequest(request, area, budget);
        try {
            chain.doFilter(capped, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!answered(request, response, e)) throw e;
        } finally {
            capped.release();
        }
    }

    /** Answers an overflow no one else did (the dashboard, a filter); false when {@code e} is something else. */
    private boolean answered(HttpServletRequest request, HttpServletResponse response, Exception e) throws IOException {
        var tooLarge = BodyTooLargeException.in(e);
        var busy = BodyBudgetExhaustedException.in(e);
        if ((tooLarge == null && busy == null) || response.isCommitted()) return false;
        response.reset();
        if (tooLarge != null) {
            problems.write(request, response, 413, TOO_LARGE, tooLarge.getMessage());
        } else {
            response.setHeader("Retry-After", "1");
            problems.write(request, response, 503, "Busy", busy.getMessage());
        }
        return true;
    }

    /** The decoded path inside the application, as the servlets route it. */
    static String path(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return path.isEmpty() ? "/" : path;
    }
}
