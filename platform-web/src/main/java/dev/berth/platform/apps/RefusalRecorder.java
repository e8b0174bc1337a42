package dev.berth.platform.apps;

import dev.berth.platform.hosts.HeartbeatRecorded;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps what the firewalls refused each app in step with the heartbeats: the containers a
 * heartbeat reports get exactly the refusals it reports (so a repeated heartbeat counts nothing
 * twice); those of containers that are gone stay, {@link #PER_APP} rows per app at most, the
 * most recently seen kept. A heartbeat that changes nothing writes nothing.
 */
@Component
class RefusalRecorder {
    /** The most rows (destinations per container) an app keeps. */
    static final int PER_APP = 200;

    private final RefusalStore store;

    RefusalRecorder(RefusalStore store) {
        this.store = store;
    }

    /** Runs inside the heartbeat's transaction. */
    @EventListener
    public void onHeartbeat(HeartbeatRecorded heartbeat) {
        var reported = new HashMap<String, Set<RefusalStore.Row>>();
        for (var c : heartbeat.containers()) {
            var rows = new HashSet<RefusalStore.Row>();
            // PostgreSQL keeps microseconds: what it gives back must compare equal to what was reported.
            for (var r : c.refused()) {
                rows.add(new RefusalStore.Row(c.app(), c.name(), r.destination(), r.protocol(), r.port(), r.count(),
                        r.lastSeen().truncatedTo(ChronoUnit.MICROS)));
            }
            reported.put(c.name(), rows);
        }
        var stored = new HashMap<String, Set<RefusalStore.Row>>();
        for (var row : store.of(heartbeat.hostId(), reported.keySet())) {
            stored.computeIfAbsent(row.container(), k -> new HashSet<>()).add(row);
        }
        var changed = new TreeSet<String>();
        var apps = new TreeSet<String>();
        for (Map.Entry<String, Set<RefusalStore.Row>> e : reported.entrySet()) {
            if (e.getValue().equals(stored.getOrDefault(e.getKey(), Set.of()))) continue;
            changed.add(e.getKey());
            e.getValue().forEach(r -> apps.add(r.agentApp()));
        }
        if (changed.isEmpty()) return;
        List<RefusalStore.Row> rows = changed.stream().flatMap(name -> reported.get(name).stream()).toList();
        store.replace(heartbeat.hostId(), changed, rows);
        for (String app : apps) store.trim(app, PER_APP);
    }
}
