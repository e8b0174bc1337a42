package dev.berth.platform.api;

import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.domains.TeamDomainService;
import dev.berth.platform.domains.TeamDomains;
import dev.berth.platform.security.CallerResolver;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams/{team}/domains")
@Tag(name = "Team domains", description = "The host names a team's apps may claim")
public class TeamDomainsController {
    private final TeamDomainService domains;
    private final CallerResolver callers;

    public TeamDomainsController(TeamDomainService domains, CallerResolver callers) {
        this.domains = domains;
        this.callers = callers;
    }

    /** @param domains the whole new list; [] gives the team no host */
    public record Patterns(List<String> domains) {
    }

    @GetMapping
    @Operation(summary = "The host name patterns the team holds, with who added each and when (team VIEWER)")
    public TeamDomains get(@PathVariable String team) {
        return domains.get(callers.current(), team);
    }

    @PutMapping
    @Operation(summary = "Replace the team's host name patterns (platform admins)",
            description = "Body {\"domains\": [\"shop.example.com\", \"*.payments.example.com\"]}: exact hosts or one-label"
                    + " wildcards, lower case, at most 64; a pattern overlapping another team's is refused (409).")
    public TeamDomains replace(@PathVariable String team, @RequestBody Patterns body, HttpServletRequest request) {
        return domains.replace(callers.current(), team, body.domains(), RequestOrigin.of(request));
    }
}
