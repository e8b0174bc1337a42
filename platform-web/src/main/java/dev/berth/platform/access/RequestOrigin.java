package dev.berth.platform.access;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** Where a request came from, as recorded in the audit log. */
public record RequestOrigin(String address, String userAgent) {
    public static final RequestOrigin NONE = new RequestOrigin(null, null);
    private static final int MAX_USER_AGENT = 512;

    public static RequestOrigin of(HttpServletRequest request) {
        String agent = request.getHeader("User-Agent");
        if (agent != null && agent.length() > MAX_USER_AGENT) agent = agent.substring(0, MAX_USER_AGENT);
        return new RequestOrigin(request.getRemoteAddr(), agent);
    }

    /** The origin of the request this thread serves, or {@link #NONE} outside a request. */
    public static RequestOrigin current() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attrs) {
            return of(attrs.getRequest());
        }
        return NONE;
    }
}
