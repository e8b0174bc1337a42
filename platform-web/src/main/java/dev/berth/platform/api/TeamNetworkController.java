package dev.berth.platform.api;

import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.egress.EgressAllowList;
import dev.berth.platform.egress.EgressAllowService;
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
@RequestMapping("/api/v1/teams/{team}/network")
@Tag(name = "Team network", description = "The private ranges a team's apps may reach")
public class TeamNetworkController {
    private final EgressAllowService egress;
    private final CallerResolver callers;

    public TeamNetworkController(EgressAllowService egress, CallerResolver callers) {
        this.egress = egress;
        this.callers = callers;
    }

    /** @param ranges the whole new list; [] allows no private range */
    public record Ranges(List<String> ranges) {
    }

    @GetMapping("/egress-allow")
    @Operation(summary = "The private ranges the team's apps may name in berth.yaml's egressTo (team VIEWER)")
    public EgressAllowList get(@PathVariable String team) {
        return egress.get(callers.current(), team);
    }

    @PutMapping("/egress-allow")
    @Operation(summary = "Replace the team's allowed private ranges (platform admins)",
            description = "Body {\"ranges\": [\"10.20.0.0/16\", \"fd00:1::/64\"]}: canonical ranges, at most 64; loopback,"
                    + " unspecified and multicast ranges are refused. An allowed range allows every port.")
    public EgressAllowList replace(@PathVariable String team, @RequestBody Ranges body, HttpServletRequest request) {
        return egress.replace(callers.current(), team, body.ranges(), RequestOrigin.of(request));
    }
}
