package dev.berth.platform.api;

import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.Registered;
import dev.berth.agent.protocol.Registration;
import dev.berth.platform.hosts.AgentAuthentication;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.security.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * What host agents call; agents connect out, the platform never calls them. The bodies are the
 * records of the agent protocol.
 */
@RestController
@RequestMapping("/agent/v1")
public class AgentController {
    private final HostService hosts;

    public AgentController(HostService hosts) {
        this.hosts = hosts;
    }

    /** Trades a join token for the host's id and credential; authenticated by the token alone. */
    @PostMapping("/register")
    @ResponseStatus(HttpStatus.CREATED)
    public Registered register(@RequestBody Registration registration, HttpServletRequest request) {
        return hosts.register(registration, RequestOrigin.of(request));
    }

    @PostMapping("/heartbeat")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void heartbeat(@RequestBody Heartbeat heartbeat) {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof AgentAuthentication agent)) {
            throw new IllegalStateException("the agent chain let through a request without an agent credential");
        }
        hosts.heartbeat(agent.hostId(), heartbeat);
    }
}
