package dev.berth.platform.repositories;

import dev.berth.gitsync.hosted.GitRoute;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The {@link GitRoute} of a request to the git servlet, decided once from the path exactly as
 * sent and kept on the request, so the security chain, {@link GitAccessFilter} and the servlet all
 * act on the same answer. A path the container would decode or normalise into something else is
 * refused as not canonical.
 */
public final class GitRequests {
    /** Where the git servlet is mapped ({@code /git/*}). */
    static final String SERVLET_PATH = "/git";
    private static final String ATTRIBUTE = GitRequests.class.getName() + ".route";

    private GitRequests() {
    }

    /**
     * Whether a request belongs to git: the container routes it to the git servlet (whatever its
     * raw spelling, {@code /g%69t/} included) or its raw path says {@code /git/}.
     */
    public static boolean isGit(HttpServletRequest request) {
        String raw = rawPath(request);
        return SERVLET_PATH.equals(request.getServletPath()) || raw.equals(SERVLET_PATH) || raw.startsWith(SERVLET_PATH + "/");
    }

    /** The request's route, decided on first use. */
    static GitRoute route(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof GitRoute known) return known;
        GitRoute route = decide(request);
        request.setAttribute(ATTRIBUTE, route);
        return route;
    }

    private static GitRoute decide(HttpServletRequest request) {
        String raw = rawPath(request);
        if (!(raw.equals(SERVLET_PATH) || raw.startsWith(SERVLET_PATH + "/")) || !SERVLET_PATH.equals(request.getServletPath())) {
            return new GitRoute.NotCanonical("git paths start with " + SERVLET_PATH + "/ as sent, without percent-encoding,"
                    + " '.' or '..' segments or path parameters");
        }
        String within = raw.length() == SERVLET_PATH.length() ? null : raw.substring(SERVLET_PATH.length());
        GitRoute route = GitRoute.parse(request.getMethod(), within, request.getQueryString());
        // The grammar admits only paths no decoding changes; should the container still see another, refuse.
        if (route instanceof GitRoute.To && !within.equals(request.getPathInfo())) {
            return new GitRoute.NotCanonical("the path as sent and the path as decoded differ");
        }
        return route;
    }

    private static String rawPath(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }
}
