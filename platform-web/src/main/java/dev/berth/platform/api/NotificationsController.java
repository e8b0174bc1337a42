package dev.berth.platform.api;

import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.notifications.Delivery;
import dev.berth.platform.notifications.NotificationEndpoint;
import dev.berth.platform.notifications.NotificationService;
import dev.berth.platform.security.CallerResolver;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teams/{team}/notifications")
@Tag(name = "Notifications", description = "A team's outgoing webhooks: endpoints, the events they get, their deliveries")
public class NotificationsController {
    private final NotificationService notifications;
    private final CallerResolver callers;

    public NotificationsController(NotificationService notifications, CallerResolver callers) {
        this.notifications = notifications;
        this.callers = callers;
    }

    @GetMapping
    @Operation(summary = "The team's webhook endpoints (team ADMIN)")
    public List<NotificationEndpoint> list(@PathVariable String team) {
        return notifications.list(callers.current(), team);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a webhook endpoint (team ADMIN); the answer holds its signing secret, shown only this once",
            description = "Body {\"name\": \"ops\", \"url\": \"https://hooks.example.com/berth\", \"format\": \"GENERIC|SLACK|TEAMS\","
                    + " \"events\": [\"deployment.failed\", \"deployment.rolled-back\"]}. A URL whose host is or resolves to a"
                    + " loopback, private, link-local or the platform's own address is refused (400) unless"
                    + " berth.network.allowed-private-targets allows it.")
    public NotificationService.Created create(@PathVariable String team, @RequestBody NotificationService.Settings body,
                                              HttpServletRequest request) {
        return notifications.create(callers.current(), team, body, RequestOrigin.of(request));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One webhook endpoint, without its secret (team ADMIN)")
    public NotificationEndpoint get(@PathVariable String team, @PathVariable long id) {
        return notifications.get(callers.current(), team, id);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change a webhook endpoint (team ADMIN); the signing secret stays",
            description = "Body as for creation, plus \"enabled\": false to keep it without sending.")
    public NotificationEndpoint update(@PathVariable String team, @PathVariable long id,
                                       @RequestBody NotificationService.Settings body, HttpServletRequest request) {
        return notifications.update(callers.current(), team, id, body, RequestOrigin.of(request));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a webhook endpoint and its deliveries (team ADMIN)")
    public void delete(@PathVariable String team, @PathVariable long id, HttpServletRequest request) {
        notifications.delete(callers.current(), team, id, RequestOrigin.of(request));
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "The endpoint's newest 100 deliveries: status, attempts, the receiver's code and the start of its answer"
            + " (team ADMIN)")
    public List<Delivery> deliveries(@PathVariable String team, @PathVariable long id) {
        return notifications.deliveries(callers.current(), team, id);
    }

    @PostMapping("/{id}/deliveries/{delivery}/resend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a delivery's event again, as a new delivery due now (team ADMIN)")
    public Delivery resend(@PathVariable String team, @PathVariable long id, @PathVariable long delivery,
                           HttpServletRequest request) {
        return notifications.resend(callers.current(), team, id, delivery, RequestOrigin.of(request));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume an endpoint paused after failing too long (team ADMIN); 409 when it is not paused")
    public NotificationEndpoint resume(@PathVariable String team, @PathVariable long id, HttpServletRequest request) {
        return notifications.resume(callers.current(), team, id, RequestOrigin.of(request));
    }
}
