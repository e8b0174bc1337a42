package dev.berth.platform.api;

import dev.berth.agent.protocol.Logs;
import dev.berth.platform.hosts.AgentAuthentication;
import dev.berth.platform.logs.ContainerLogs;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Container output forwarded by host agents ({@code POST /agent/v1/logs}, protocol {@link Logs}),
 * stored under the calling agent's own host. The body is read here rather than bound, so that it is
 * parsed with this protocol's strict mapper; its size is capped at the web edge like every body.
 */
@RestController
@RequestMapping("/agent/v1")
public class AgentLogsController {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ContainerLogs logs;

    public AgentLogsController(ContainerLogs logs) {
        this.logs = logs;
    }

    @PostMapping("/logs")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void logs(HttpServletRequest request) throws IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof AgentAuthentication agent)) {
            throw new IllegalStateException("the agent chain let through a request without an agent credential");
        }
        // Capped at the web edge (BodyLimitFilter, berth.logs.max-body-bytes): 413 past the limit however it is sent.
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readAllBytes();
        }
        Logs parsed;
        try {
            parsed = JSON.readValue(body, Logs.class);
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException("logs body", e, new ServletServerHttpRequest(request));
        }
        logs.append(agent.hostId(), parsed);
    }
}
