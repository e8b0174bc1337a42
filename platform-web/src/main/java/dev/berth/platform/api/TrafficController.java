package dev.berth.platform.api;

import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.traffic.EdgeTraffic;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams/{team}/apps/{app}")
@Tag(name = "Traffic", description = "What the edges served for an app, from their heartbeats")
public class TrafficController {
    private final EdgeTraffic traffic;
    private final CallerResolver callers;

    public TrafficController(EdgeTraffic traffic, CallerResolver callers) {
        this.traffic = traffic;
        this.callers = callers;
    }

    @GetMapping("/traffic")
    @Operation(summary = "The app's request and 5xx rates over the last minute and five, as this platform instance's "
            + "heartbeats saw them (team VIEWER and up)")
    public EdgeTraffic.Rates traffic(@PathVariable String team, @PathVariable String app) {
        return traffic.rates(callers.current(), team, app);
    }
}
