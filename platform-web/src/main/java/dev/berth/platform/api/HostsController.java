package dev.berth.platform.api;

import dev.berth.platform.hosts.Host;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/hosts")
@Tag(name = "Hosts", description = "Hosts that run containers, and the join tokens that let them in")
public class HostsController {
    private final HostService hosts;
    private final CallerResolver callers;

    public HostsController(HostService hosts, CallerResolver callers) {
        this.hosts = hosts;
        this.callers = callers;
    }

    /** How long the token lasts, in minutes: 1 to 1440, 60 when left out. */
    public record CreateJoinToken(Integer ttlMinutes) {
    }

    /** The secret {@code token} is returned only here, once. */
    public record CreatedJoinToken(String token, long id, Instant expiresAt) {
    }

    @PostMapping("/join-tokens")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a single-use join token for a new host (platform admins)",
            description = "Start an agent with the platform URL and this token; it registers once and gets its own credential. "
                    + "The token is shown once.")
    public CreatedJoinToken createJoinToken(@RequestBody(required = false) CreateJoinToken body, HttpServletRequest request) {
        Duration ttl = body == null || body.ttlMinutes() == null ? null : Duration.ofMinutes(body.ttlMinutes());
        var issued = hosts.createJoinToken(callers.current(), ttl, RequestOrigin.of(request));
        return new CreatedJoinToken(issued.token(), issued.id(), issued.expiresAt());
    }

    @GetMapping
    @Operation(summary = "List hosts with their capacity, liveness, drain and reported containers (platform admins)",
            description = "Removed hosts are not listed. memoryBytes and cpuMillis are what placement counts with: what the "
                    + "agent reported, at most the capacity it registered with (cap).")
    public List<Host> list() {
        return hosts.list(callers.current());
    }

    /** Why, for the audit log; optional, at most 500 characters. */
    public record Reason(String reason) {
    }

    @PostMapping("/{id}/drain")
    @Operation(summary = "Drain a host (platform admins)",
            description = "The host gets no new replicas, and its replicas move to other hosts, each stopped once its "
                    + "replacement is healthy. Undo with DELETE /api/v1/hosts/{id}/drain. Audited as host.drain.")
    public Host drain(@PathVariable String id, @RequestBody(required = false) Reason body, HttpServletRequest request) {
        return hosts.drain(callers.current(), id, reason(body), RequestOrigin.of(request));
    }

    @DeleteMapping("/{id}/drain")
    @Operation(summary = "Stop draining a host (platform admins)",
            description = "The host takes new replicas again; replicas already moved stay where they are. Audited as host.undrain.")
    public Host undrain(@PathVariable String id, @RequestBody(required = false) Reason body, HttpServletRequest request) {
        return hosts.undrain(callers.current(), id, reason(body), RequestOrigin.of(request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a host (platform admins)",
            description = "Its agent's credential is refused from the next request on, and its replicas are placed on other "
                    + "hosts. To join it again, use a new join token. Drain it first to move its replicas before it goes. "
                    + "Audited as host.remove.")
    public void remove(@PathVariable String id, @RequestBody(required = false) Reason body, HttpServletRequest request) {
        hosts.remove(callers.current(), id, reason(body), RequestOrigin.of(request));
    }

    private static String reason(Reason body) {
        return body == null ? null : body.reason();
    }
}
