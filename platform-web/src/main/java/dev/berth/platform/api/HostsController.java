package dev.berth.platform.api;

import dev.berth.platform.hosts.Host;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.RequestOrigin;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
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
    @Operation(summary = "List hosts with their capacity, liveness and reported containers (platform admins)")
    public List<Host> list() {
        return hosts.list(callers.current());
    }
}
