package dev.berth.platform.api;

import dev.berth.platform.logs.ContainerLogs;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams/{team}/apps/{app}")
@Tag(name = "Logs", description = "What an app's containers wrote, and what its edges served, as their hosts' agents forwarded it")
public class LogsController {
    private final ContainerLogs logs;
    private final CallerResolver callers;

    public LogsController(ContainerLogs logs, CallerResolver callers) {
        this.logs = logs;
        this.callers = callers;
    }

    /**
     * @param replica the replica whose container's log to read
     * @param edge instead of a replica: the edge host whose access log of the app to read
     * @param after the {@code last} of the previous answer, to follow the log; without it, the newest lines
     * @param limit at most this many lines (1 to 2000)
     */
    @GetMapping("/logs")
    @Operation(summary = "A replica's log, or with 'edge' the app's access log on that edge host (team VIEWER and up): "
            + "the newest lines, or with 'after' the lines since")
    public ContainerLogs.LogPage logs(@PathVariable String team, @PathVariable String app, @RequestParam(required = false) String replica,
                                      @RequestParam(required = false) String edge, @RequestParam(required = false) Long after,
                                      @RequestParam(defaultValue = "500") int limit) {
        if (edge != null && replica != null) throw new Problem.Invalid("give replica or edge, not both");
        if (edge != null) return logs.readAccess(callers.current(), team, app, edge, after, limit);
        return logs.read(callers.current(), team, app, replica, after, limit);
    }

    @GetMapping("/logs/edges")
    @Operation(summary = "The edge hosts that have an access log of the app (team VIEWER and up)")
    public List<ContainerLogs.AccessSource> accessSources(@PathVariable String team, @PathVariable String app) {
        return logs.accessSources(callers.current(), team, app);
    }
}
