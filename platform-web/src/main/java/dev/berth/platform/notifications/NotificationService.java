package dev.berth.platform.notifications;

import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditLog;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.repositories.SecretBox;
import dev.berth.platform.teams.TeamLookup;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A team's webhook endpoints: team admins (and platform admins) see and change them, and see their
 * deliveries. The signing secret is made here, shown once in the answer to the creation, and
 * otherwise only sealed. Every change is audited after it commits, with the URL's origin only
 * (chat webhooks carry their secret in the path) and never the signing secret.
 */
@Service
public class NotificationService {
    static final int MAX_ENDPOINTS = 20;
    static final int LISTED_DELIVERIES = 100;
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}";

    private final EndpointStore endpoints;
    private final DeliveryStore deliveries;
    private final TeamLookup teams;
    private final SecretBox box;
    private final WebhookSender sender;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    NotificationService(EndpointStore endpoints, DeliveryStore deliveries, TeamLookup teams, SecretBox box, WebhookSender sender,
                        AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
        this.teams = teams;
        this.box = box;
        this.sender = sender;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * What an endpoint should be.
     *
     * @param format  GENERIC (default), SLACK or TEAMS
     * @param events  wire names, such as {@code deployment.failed}; at least one
     * @param enabled false keeps it without sending; null means true
     */
    public record Settings(String name, String url, String format, List<String> events, Boolean enabled) {
    }

    /** A new endpoint and its signing secret, which is never shown again. */
    public record Created(NotificationEndpoint endpoint, String signingSecret) {
    }

    public List<NotificationEndpoint> list(Caller caller, String team) {
        return endpoints.list(allowed(caller, team));
    }

    public NotificationEndpoint get(Caller caller, String team, long id) {
        return endpoint(allowed(caller, team), team, id);
    }

    public Created create(Caller caller, String team, Settings settings, RequestOrigin origin) {
        long teamId = allowed(caller, team);
        var valid = validate(settings);
        String secret = Signature.newSecret();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        long id = tx.execute(s -> {
            if (endpoints.list(teamId).size() >= MAX_ENDPOINTS) {
                throw new Problem.Conflict("team " + team + " has " + MAX_ENDPOINTS + " notification endpoints already, the most"
                        + " a team may have; delete one first");
            }
            long created = endpoints.insert(teamId, valid.name(), valid.url().toString(), valid.format(), valid.events(),
                    caller.username(), now);
            if (created < 0) throw nameTaken(team, valid.name());
            endpoints.setSecret(created, box.seal(secret, NotificationDeliverer.secretContext(created)));
            return created;
        });
        var endpoint = endpoint(teamId, team, id);
        audit.record(described(AuditEvent.of(caller, "notification.endpoint.create", target(team, valid.name())), endpoint, origin));
        return new Created(endpoint, secret);
    }

    public NotificationEndpoint update(Caller caller, String team, long id, Settings settings, RequestOrigin origin) {
        long teamId = allowed(caller, team);
        var before = endpoint(teamId, team, id);
        var valid = validate(settings);
        tx.executeWithoutResult(s -> {
            if (endpoints.nameTaken(teamId, valid.name(), id)) throw nameTaken(team, valid.name());
            endpoints.update(id, valid.name(), valid.url().toString(), valid.format(), valid.events(),
                    settings.enabled() == null || settings.enabled());
        });
        var after = endpoint(teamId, team, id);
        audit.record(described(AuditEvent.of(caller, "notification.endpoint.update", target(team, after.name())), after, origin)
                .detail("previousName", before.name().equals(after.name()) ? null : before.name())
                .detail("previousUrl", before.url().equals(after.url()) ? null : WebhookUrl.origin(URI.create(before.url()))));
        return after;
    }

    public void delete(Caller caller, String team, long id, RequestOrigin origin) {
        long teamId = allowed(caller, team);
        var endpoint = endpoint(teamId, team, id);
        if (!endpoints.delete(id)) throw notFound(team, id);
        audit.record(AuditEvent.of(caller, "notification.endpoint.delete", target(team, endpoint.name())).team(team)
                .source(origin.address(), origin.userAgent()).detail("endpoint", id));
    }

    /** The endpoint's newest {@value #LISTED_DELIVERIES} deliveries, newest first. */
    public List<Delivery> deliveries(Caller caller, String team, long id) {
        endpoint(allowed(caller, team), team, id);
        return deliveries.list(id, LISTED_DELIVERIES);
    }

    /** The newest delivery of each of the team's endpoints that has one, by endpoint id. */
    public Map<Long, Delivery> latestDeliveries(Caller caller, String team) {
        return deliveries.latest(allowed(caller, team));
    }

    /** Whether {@code caller} may see and change {@code team}'s endpoints. */
    public static boolean mayManage(Caller caller, String team) {
        return AccessPolicy.decide(caller, Permission.MANAGE_NOTIFICATIONS, team) instanceof AccessPolicy.Allowed;
    }

    /**
     * An endpoint of one of the caller's teams that is paused, as the dashboard tells its team.
     *
     * @param mayResume whether the caller may see the endpoint and resume it
     */
    public record Paused(String team, String name, Instant pausedAt, String reason, boolean mayResume) {
    }

    /** The paused endpoints of the teams {@code caller} belongs to: each member hears of them, not only its admins. */
    public List<Paused> pausedInTeamsOf(Caller caller) {
        return endpoints.paused(caller.memberships().keySet()).stream()
                .map(e -> new Paused(e.team(), e.name(), e.pausedAt(), e.pausedReason(), mayManage(caller, e.team()))).toList();
    }

    /** Sends delivery {@code deliveryId}'s event to its endpoint again, as a new delivery due now. */
    public Delivery resend(Caller caller, String team, long id, long deliveryId, RequestOrigin origin) {
        var endpoint = endpoint(allowed(caller, team), team, id);
        var original = deliveries.find(id, deliveryId).orElseThrow(() -> new Problem.NotFound(
                "endpoint " + id + " of team " + team + " has no delivery " + deliveryId));
        long fresh = deliveries.resend(id, deliveryId, clock.instant());
        audit.record(AuditEvent.of(caller, "notification.delivery.resend", target(team, endpoint.name())).team(team)
                .source(origin.address(), origin.userAgent()).detail("endpoint", id).detail("delivery", deliveryId)
                .detail("newDelivery", fresh).detail("event", original.eventId()));
        return deliveries.find(id, fresh).orElseThrow();
    }

    /** Lets a paused endpoint receive again; deliveries owed for over a day are given up. */
    public NotificationEndpoint resume(Caller caller, String team, long id, RequestOrigin origin) {
        long teamId = allowed(caller, team);
        var endpoint = endpoint(teamId, team, id);
        Instant now = clock.instant();
        boolean resumed = Boolean.TRUE.equals(tx.execute(s -> {
            if (!endpoints.resume(id)) return false;
            deliveries.expire(id, now.minus(RetrySchedule.GIVE_UP_AFTER), "given up: older than a day when the endpoint resumed");
            return true;
        }));
        if (!resumed) throw new Problem.Conflict("endpoint '" + endpoint.name() + "' of team " + team + " is not paused");
        audit.record(AuditEvent.of(caller, "notification.endpoint.resume", target(team, endpoint.name())).team(team)
                .source(origin.address(), origin.userAgent()).detail("endpoint", id)
                .detail("pausedReason", endpoint.pausedReason()));
        return endpoint(teamId, team, id);
    }

    private long allowed(Caller caller, String team) {
        // Those who may not see the team hear that it does not exist; members hear who may manage webhooks.
        AccessPolicy.require(caller, Permission.VIEW_TEAM, team);
        AccessPolicy.require(caller, Permission.MANAGE_NOTIFICATIONS, team);
        return teams.idOf(team);
    }

    private NotificationEndpoint endpoint(long teamId, String team, long id) {
        return endpoints.find(teamId, id).orElseThrow(() -> notFound(team, id));
    }

    private static Problem notFound(String team, long id) {
        return new Problem.NotFound("team " + team + " has no notification endpoint " + id);
    }

    private static Problem nameTaken(String team, String name) {
        return new Problem.Conflict("team " + team + " has a notification endpoint named '" + name + "' already");
    }

    private static String target(String team, String name) {
        return "notification-endpoint:" + team + "/" + name;
    }

    private static AuditEvent.Builder described(AuditEvent.Builder event, NotificationEndpoint e, RequestOrigin origin) {
        return event.team(e.team()).source(origin.address(), origin.userAgent()).detail("endpoint", e.id())
                .detail("url", WebhookUrl.origin(URI.create(e.url()))).detail("format", e.format())
                .detail("events", String.join(",", e.events().stream().map(NotificationEvent::value).toList()))
                .detail("enabled", e.enabled());
    }

    private record Valid(String name, URI url, NotificationFormat format, List<NotificationEvent> events) {
    }

    private Valid validate(Settings s) {
        if (s == null) throw new Problem.Invalid("body: required, {\"name\", \"url\", \"format\", \"events\"}");
        if (s.name() == null || !s.name().matches(NAME)) {
            throw new Problem.Invalid("name: 1 to 64 letters, digits, spaces, '.', '_' or '-', starting with a letter or digit");
        }
        URI url = WebhookUrl.parse(s.url());
        if (s.events() == null || s.events().isEmpty()) {
            throw new Problem.Invalid("events: choose at least one of deployment.started, deployment.succeeded,"
                    + " deployment.failed, deployment.rolled-back, replica.crash-looping, host.lost, certificate.failing");
        }
        var events = new ArrayList<NotificationEvent>();
        for (int i = 0; i < s.events().size(); i++) {
            var e = NotificationEvent.parse(s.events().get(i), "events[" + i + "]");
            if (!events.contains(e)) events.add(e);
        }
        try {
            String refused = sender.refusal(url);
            if (refused != null) throw new Problem.Invalid("url: " + refused);
        } catch (UnknownHostException e) {
            throw new Problem.Invalid("url: host '" + url.getHost() + "' does not resolve");
        } catch (IOException e) {
            throw new Problem.Invalid("url: host '" + url.getHost() + "' could not be checked: " + e.getMessage());
        }
        return new Valid(s.name(), url, NotificationFormat.parse(s.format()), List.copyOf(events));
    }
}
