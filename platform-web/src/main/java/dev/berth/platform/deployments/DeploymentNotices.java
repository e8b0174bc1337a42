package dev.berth.platform.deployments;

import dev.berth.platform.notifications.NotificationEvent;
import dev.berth.platform.notifications.NotificationOutbox;
import dev.berth.platform.notifications.Notice;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/** What a deployment's start and end tell the team's webhooks; pure. */
final class DeploymentNotices {
    private DeploymentNotices() {
    }

    /** A rollback (asked for or automatic) is told as such; any other start as started. */
    static NotificationOutbox.Told started(DeploymentLifecycle.Opening o, long id) {
        boolean rollback = o.kind() == Deployment.Kind.ROLLBACK || o.kind() == Deployment.Kind.AUTO_ROLLBACK;
        var details = details(id, o.revision(), o.kind());
        details.put("by", o.by());
        details.put("reason", o.reason());
        String summary = switch (o.kind()) {
            case ROLLBACK -> o.by() + " rolled " + o.app() + " back to revision " + o.revision();
            case AUTO_ROLLBACK -> o.app() + " rolled back to revision " + o.revision() + " automatically";
            case REMOVE -> "removing " + o.app() + " (revision " + o.revision() + " no longer defines it)";
            case PUSH -> "deploying revision " + o.revision() + " of " + o.app();
        };
        if (rollback) details.put("automatic", o.kind() == Deployment.Kind.AUTO_ROLLBACK);
        var type = rollback ? NotificationEvent.DEPLOYMENT_ROLLED_BACK : NotificationEvent.DEPLOYMENT_STARTED;
        return new NotificationOutbox.Told(o.teamId(), Notice.of(type, o.team(), o.app(), o.now(), summary, details));
    }

    static NotificationOutbox.Told succeeded(DeploymentStore.Row d, String message, Instant at) {
        var details = details(d.id(), d.revision(), d.deployment().kind());
        details.put("message", message);
        return new NotificationOutbox.Told(d.teamId(), Notice.of(NotificationEvent.DEPLOYMENT_SUCCEEDED, d.deployment().team(),
                d.app(), at, "revision " + d.revision() + " of " + d.app() + " deployed: " + message, details));
    }

    static NotificationOutbox.Told failed(DeploymentStore.Row d, String reason, Instant at) {
        var details = details(d.id(), d.revision(), d.deployment().kind());
        details.put("reason", reason);
        return new NotificationOutbox.Told(d.teamId(), Notice.of(NotificationEvent.DEPLOYMENT_FAILED, d.deployment().team(),
                d.app(), at, "deploying revision " + d.revision() + " of " + d.app() + " failed: " + reason, details));
    }

    /** One notice per team with replicas on the lost host, naming its apps there. */
    static List<NotificationOutbox.Told> hostLost(String hostId, RoundDecision.Standing.Lost lost, Instant at) {
        var byTeam = new TreeMap<Long, List<ReplicaRow>>();
        for (var r : lost.replicas()) byTeam.computeIfAbsent(r.teamId(), k -> new ArrayList<>()).add(r);
        var told = new ArrayList<NotificationOutbox.Told>();
        byTeam.forEach((teamId, rows) -> {
            var apps = new TreeSet<String>();
            rows.forEach(r -> apps.add(r.app()));
            var details = new LinkedHashMap<String, Object>();
            details.put("host", hostId);
            details.put("hostname", lost.hostname());
            details.put("lastHeartbeatAt", lost.lastHeartbeatAt());
            details.put("apps", String.join(",", apps));
            details.put("replicas", rows.size());
            told.add(new NotificationOutbox.Told(teamId, Notice.of(NotificationEvent.HOST_LOST, rows.getFirst().team(), null, at,
                    "host " + lost.hostname() + " stopped answering (last heartbeat " + lost.lastHeartbeatAt() + "); "
                            + rows.size() + (rows.size() == 1 ? " replica" : " replicas") + " of " + String.join(", ", apps)
                            + " ran there and are placed elsewhere", details)));
        });
        return told;
    }

    private static LinkedHashMap<String, Object> details(long id, long revision, Deployment.Kind kind) {
        var m = new LinkedHashMap<String, Object>();
        m.put("deployment", id);
        m.put("revision", revision);
        m.put("kind", kind.value());
        return m;
    }
}
