package dev.berth.faulttests;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Samples every 100 ms, until closed, the app's replica rows (container → revision) and the
 * containers each agent's runc holds (container → agents), so a replica started twice, on two
 * agents or as a second row, shows even if it was gone again by the end.
 */
final class ReplicaWatch implements AutoCloseable {
    final Map<String, Long> containerRevision = new ConcurrentHashMap<>();
    final Map<String, Set<String>> agentsRunning = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ReplicaWatch(FaultCluster cluster) throws Exception {
        sample(cluster);
        thread = Thread.ofPlatform().name("replica-watch").start(() -> {
            while (running.get()) {
                try {
                    sample(cluster);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.err.println("[faults] replica watch: " + e);
                }
            }
        });
    }

    private void sample(FaultCluster cluster) throws Exception {
        try (var c = cluster.postgres.superuser();
             var st = c.prepareStatement("SELECT container, revision_id FROM replicas WHERE app = ?")) {
            st.setString(1, WebApp.NAME);
            try (var rs = st.executeQuery()) {
                while (rs.next()) containerRevision.put(rs.getString(1), rs.getLong(2));
            }
        }
        for (var agent : cluster.agents) {
            for (String container : agent.containers()) {
                agentsRunning.computeIfAbsent(container, k -> ConcurrentHashMap.newKeySet()).add(agent.name);
            }
        }
    }

    Set<String> containersOf(long revision) {
        var out = new HashSet<String>();
        containerRevision.forEach((container, rev) -> {
            if (rev == revision) out.add(container);
        });
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        if (thread.isAlive()) thread.join(5000);
    }
}
