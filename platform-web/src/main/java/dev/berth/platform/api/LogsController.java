package dev.berth.platform.api;

import dev.berth.platform.logs.ContainerLogs;
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
@Tag(name = "Logs", description = "What an app's containers wrote, as their hosts' agents forwarded it")
public class LogsController {
    private final ContainerLogs logs;
    private final CallerResolver callers;

    public LogsController(ContainerLogs logs, CallerResolver callers) {
        this.logs = logs;
        this.callers = callers;
    }

    /**
     * @param replica the replica whose container's log to read
     * @param after the {@code last} of the previous answer, to follow the log; without it, the newest lines
     * @param limit at most this many lines (1 to 2000)
     */
    @GetMapping("/logs")
    @Operation(summary = "A replica's log (team VIEWER and up): its newest lines, or with 'after' the lines since")
    public ContainerLogs.LogPage logs(@PathVariable String team, @PathVariable String app, @RequestParam(required = false) String replica,
                                      @RequestParam(required = false) Long after, @RequestParam(defaultValue = "500") int limit) {
        return logs.read(callers.current(), team, app, replica, after, limit);
    }
}
