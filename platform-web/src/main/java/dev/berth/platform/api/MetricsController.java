package dev.berth.platform.api;

import dev.berth.platform.metrics.AppMetrics;
import dev.berth.platform.metrics.AppMetricsService;
import dev.berth.platform.security.CallerResolver;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams/{team}/apps/{app}")
@Tag(name = "Metrics", description = "An app's resource use (CPU, memory, processes, network) as its hosts' agents sample it")
public class MetricsController {
    private final AppMetricsService metrics;
    private final CallerResolver callers;

    public MetricsController(AppMetricsService metrics, CallerResolver callers) {
        this.metrics = metrics;
        this.callers = callers;
    }

    /**
     * @param from ISO-8601 instant; an hour before {@code to} by default; at most 7 days back
     * @param to ISO-8601 instant; now by default
     * @param step seconds or an ISO-8601 duration, a multiple of 10 s; 60 by default; at most 1000 points
     */
    @GetMapping("/metrics")
    @Operation(summary = "The app's CPU, memory, processes, network and restarts over time, summed over its replicas "
            + "and per replica (team VIEWER and up)")
    public AppMetrics metrics(@PathVariable String team, @PathVariable String app,
                              @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                              @RequestParam(required = false) String step) {
        return metrics.read(callers.current(), team, app, from, to, step);
    }
}
