package dev.berth.platform.api;

import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.CertificateIssued;
import dev.berth.agent.protocol.CertificateRequest;
import dev.berth.agent.protocol.Heartbeat;
import dev.berth.agent.protocol.Registered;
import dev.berth.agent.protocol.Registration;
import dev.berth.platform.deployments.Assignments;
import dev.berth.platform.hosts.AgentAuthentication;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.operations.LongPolls;
import dev.berth.platform.access.RequestOrigin;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
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
    private final Assignments assignments;
    private final LongPolls longPolls;

    public AgentController(HostService hosts, Assignments assignments, LongPolls longPolls) {
        this.hosts = hosts;
        this.assignments = assignments;
        this.longPolls = longPolls;
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
        hosts.heartbeat(agent().hostId(), heartbeat);
    }

    /**
     * A fresh certificate for the agent's new TLS key, for connections between agents; the agent
     * asks before its current one runs out.
     */
    @PostMapping("/certificate")
    public CertificateIssued certificate(@RequestBody CertificateRequest request, HttpServletRequest http) {
        return hosts.renewCertificate(agent().hostId(), request, RequestOrigin.of(http));
    }

    /**
     * The host's full assignment once its generation is above {@code after} (200), or 204 when
     * {@code wait} seconds pass first. The request holds its (virtual) thread while it waits.
     *
     * @param after the generation the agent applied last; -1 answers at once
     * @param wait seconds to hold the request, 0 to 55
     */
    @GetMapping("/assignments")
    public ResponseEntity<Assignment> assignments(@RequestParam(defaultValue = "-1") long after,
                                                  @RequestParam(required = false) Integer wait) throws InterruptedException {
        Duration hold = wait == null ? Assignments.DEFAULT_WAIT : Duration.ofSeconds(wait);
        try (var ignored = longPolls.hold()) {
            return assignments.await(agent().hostId(), after, hold).map(ResponseEntity::ok)
                    .orElseGet(() -> ResponseEntity.noContent().build());
        }
    }

    private static AgentAuthentication agent() {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof AgentAuthentication agent)) {
            throw new IllegalStateException("the agent chain let through a request without an agent credential");
        }
        return agent;
    }
}
