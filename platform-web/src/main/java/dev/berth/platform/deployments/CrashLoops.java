package dev.berth.platform.deployments;

import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.platform.hosts.HeartbeatRecorded;
import dev.berth.platform.hosts.HostRecords;
import dev.berth.platform.notifications.NotificationEvent;
import dev.berth.platform.notifications.NotificationOutbox;
import dev.berth.platform.notifications.Notice;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells a team's webhooks ({@code replica.crash-looping}) when one of its replicas keeps
 * restarting ({@link CrashLoop}), once per episode. Runs inside the heartbeat's transaction, which
 * holds the host's row: two instances never weigh the same host's reports at once, and the told
 * mark is set only where it was not ({@link CrashLoopStore#tell}), in the transaction that owes the
 * deliveries.
 */
@Component
class CrashLoops {
    private final ReplicaStore replicas;
    private final CrashLoopStore loops;
    private final HostRecords hosts;
    private final NotificationOutbox notifications;
    /**
     * What each host's containers last reported here (restarts and exit), so a heartbeat that repeats
     * it costs no query. Only a shortcut: another instance may have weighed later reports, and the
     * database's counts are what a rise is measured from (a heartbeat whose transaction rolled back
     * after it was noted here is weighed at the next change). One entry per host that reported.
     */
    private final Map<String, Map<String, Seen>> seen = new ConcurrentHashMap<>();

    private record Seen(int restarts, String exit) {
        static Seen of(ContainerStatus c) {
            return new Seen(c.restarts(), CrashLoop.exitReason(c));
        }
    }

    CrashLoops(ReplicaStore replicas, CrashLoopStore loops, HostRecords hosts, NotificationOutbox notifications) {
        this.replicas = replicas;
        this.loops = loops;
        this.hosts = hosts;
        this.notifications = notifications;
    }

    @EventListener
    public void onHeartbeat(HeartbeatRecorded heartbeat) {
        // Most heartbeats report no restart and no exit, or the same as the last: then nothing is read or written.
        var now = heartbeat.containers().stream().filter(CrashLoops::worthFollowing)
                .collect(Collectors.toMap(ContainerStatus::name, Seen::of));
        var before = seen.put(heartbeat.hostId(), now);
        if (now.isEmpty() || now.equals(before)) return;
        var reported = heartbeat.containers().stream().collect(Collectors.toMap(ContainerStatus::name, Function.identity()));
        var live = replicas.liveOn(heartbeat.hostId()).stream().filter(r -> reported.containsKey(r.container())).toList();
        Map<String, CrashLoop> known = loops.of(live.stream().map(ReplicaRow::id).toList());
        var told = new ArrayList<NotificationOutbox.Told>();
        for (var r : live) {
            var status = reported.get(r.container());
            var loop = known.get(r.id());
            if (loop == null && !worthFollowing(status)) continue;
            if (loop == null) loop = CrashLoop.none();
            var step = loop.after(status.restarts(), CrashLoop.exitReason(status), heartbeat.at());
            if (step.next().equals(loop)) continue;
            loops.save(r.id(), step.next());
            if (step.ended()) loops.ended(r.id());
            if (step.tell() && loops.tell(r.id(), heartbeat.at())) told.add(notice(r, status, step.next(), heartbeat));
        }
        notifications.tell(told);
    }

    /** A container that restarted or stopped: its exit is kept, so a loop's notice can say why it stopped. */
    private static boolean worthFollowing(ContainerStatus c) {
        return c.restarts() > 0 || CrashLoop.exitReason(c) != null;
    }

    private NotificationOutbox.Told notice(ReplicaRow r, ContainerStatus status, CrashLoop loop, HeartbeatRecorded heartbeat) {
        String hostname = hosts.find(heartbeat.hostId()).map(HostRecords.Seen::hostname).orElse(heartbeat.hostId());
        String reason = loop.lastExit() == null ? "unknown (the agent reported no exit)" : loop.lastExit();
        var details = new LinkedHashMap<String, Object>();
        details.put("replica", r.id());
        details.put("container", r.container());
        details.put("host", heartbeat.hostId());
        details.put("hostname", hostname);
        details.put("revision", r.revision());
        details.put("restarts", status.restarts());
        details.put("lastExitReason", reason);
        return new NotificationOutbox.Told(r.teamId(), Notice.of(NotificationEvent.REPLICA_CRASH_LOOPING, r.team(), r.app(),
                heartbeat.at(), "replica " + r.id() + " of " + r.app() + " on " + hostname + " keeps restarting ("
                        + status.restarts() + " restarts; last " + reason + ")", details));
    }
}
