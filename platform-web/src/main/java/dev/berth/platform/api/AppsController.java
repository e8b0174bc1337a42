package dev.berth.platform.api;

import dev.berth.platform.apps.AppDetail;
import dev.berth.platform.apps.AppNetwork;
import dev.berth.platform.apps.AppService;
import dev.berth.platform.apps.AppSummary;
import dev.berth.platform.apps.IsolationView;
import dev.berth.platform.deployments.Deployment;
import dev.berth.platform.secrets.AppSecrets;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams/{team}/apps")
@Tag(name = "Apps", description = "Deployed apps: replicas, deployments, rollback and secrets")
public class AppsController {
    private final AppService apps;
    private final AppSecrets secrets;
    private final CallerResolver callers;

    public AppsController(AppService apps, AppSecrets secrets, CallerResolver callers) {
        this.apps = apps;
        this.secrets = secrets;
        this.callers = callers;
    }

    /** @param revision the revision to return to; it must define the app */
    public record Rollback(Long revision, String reason) {
    }

    /** A secret's new value; never returned by any endpoint. */
    public record SecretValue(String value) {
        @Override
        public String toString() {
            return "SecretValue[value hidden]";
        }
    }

    @GetMapping
    @Operation(summary = "The team's apps: revision, replicas healthy and desired, hosts, last deployment (team VIEWER)")
    public List<AppSummary> list(@PathVariable String team) {
        return apps.list(callers.current(), team);
    }

    @GetMapping("/{app}")
    @Operation(summary = "One app: revision, deployment state, replicas with host and published addresses, "
            + "and what differs from what should run (team VIEWER)")
    public AppDetail get(@PathVariable String team, @PathVariable String app) {
        return apps.get(callers.current(), team, app);
    }

    @GetMapping("/{app}/network")
    @Operation(summary = "What the app may reach as its current revision declares it (egress, egressTo, connects),"
            + " with the team's allowed private ranges (team VIEWER)")
    public AppNetwork network(@PathVariable String team, @PathVariable String app) {
        return apps.network(callers.current(), team, app);
    }

    @GetMapping("/{app}/deployments")
    @Operation(summary = "The app's deployment timeline, newest first (team VIEWER)")
    public List<Deployment> deployments(@PathVariable String team, @PathVariable String app,
                                        @RequestParam(defaultValue = "50") int limit) {
        return apps.deployments(callers.current(), team, app, limit);
    }

    @GetMapping("/{app}/replicas/{replica}/isolation")
    @Operation(summary = "The isolation report the host measured on a replica's live process (team VIEWER)")
    public IsolationView isolation(@PathVariable String team, @PathVariable String app, @PathVariable String replica) {
        return apps.isolation(callers.current(), team, app, replica);
    }

    @PostMapping("/{app}/rollback")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Roll the app back to an earlier revision, pinned until a push changes the app (team DEPLOYER)",
            description = "Body {\"revision\": N, \"reason\": \"...\"}; the reason is required and goes to the audit log.")
    public Deployment rollback(@PathVariable String team, @PathVariable String app, @RequestBody Rollback body,
                               HttpServletRequest request) {
        return apps.rollback(callers.current(), team, app, body.revision(), body.reason(), RequestOrigin.of(request));
    }

    @GetMapping("/{app}/secrets")
    @Operation(summary = "The names of the app's secrets, with who set each when; never a value (team VIEWER)")
    public List<AppSecrets.SecretView> secrets(@PathVariable String team, @PathVariable String app) {
        return secrets.list(callers.current(), team, app);
    }

    @PutMapping("/{app}/secrets/{name}")
    @Operation(summary = "Set a secret of the app (team DEPLOYER); sent only to hosts running containers that reference it",
            description = "Body {\"value\": \"...\"}, at most 64 KiB. The value is never shown again.")
    public AppSecrets.SecretView setSecret(@PathVariable String team, @PathVariable String app, @PathVariable String name,
                                           @RequestBody SecretValue body, HttpServletRequest request) {
        return secrets.set(callers.current(), team, app, name, body.value(), RequestOrigin.of(request));
    }

    @DeleteMapping("/{app}/secrets/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a secret of the app (team DEPLOYER)")
    public void deleteSecret(@PathVariable String team, @PathVariable String app, @PathVariable String name,
                             HttpServletRequest request) {
        secrets.delete(callers.current(), team, app, name, RequestOrigin.of(request));
    }
}
