package dev.berth.platform.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes RFC 9457 problem documents from filters, where no controller advice runs. */
@Component
public class ProblemWriter {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"berth\"");
        write(request, response, 401, "Unauthorized", detail);
    }

    public void write(HttpServletRequest request, HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        write(response, status, title, detail, request.getRequestURI());
    }

    /** @param instance the problem's {@code instance}, or null to leave it out (a path not fit to repeat) */
    public void write(HttpServletResponse response, int status, String title, String detail, String instance) throws IOException {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) body.put("instance", instance);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
