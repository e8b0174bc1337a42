package dev.berth.faulttests;

import dev.berth.testfixtures.AppView;
import dev.berth.testfixtures.PublishedAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Every 100 ms, how many replicas serve: those the platform sees healthy on a live host whose
 * published address answers, plus the partitioned agent's copy while its address answers and the
 * platform does not count its host alive. (An agent publishes an app's port once for all its
 * replicas there, so addresses alone would undercount.)
 */
final class ServingSampler implements AutoCloseable {
    final List<String> samples = new CopyOnWriteArrayList<>();
    final List<String> gaps = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    ServingSampler(FaultCluster cluster, String cutOffHost, String cutOffAddress) {
        thread = Thread.ofPlatform().name("serving-sampler").start(() -> {
            while (running.get()) {
                long started = System.nanoTime();
                var app = lookAtApp(cluster);
                if (app != null) {
                    var answering = new HashMap<String, Boolean>();
                    Predicate<String> answers = a -> answering.computeIfAbsent(a,
                            x -> PublishedAddress.fetch(x, Duration.ofMillis(500)) != null);
                    var counted = AppView.replicas(app).filter(r -> r.path("state").asString().equals("HEALTHY")
                            && r.path("hostAlive").asBoolean()
                            && AppView.addresses(r).stream().allMatch(answers)).map(r -> r.path("id").asString()).toList();
                    boolean cutOffCounted = AppView.replicas(app).anyMatch(r -> r.path("hostId").asString().equals(cutOffHost)
                            && r.path("hostAlive").asBoolean());
                    boolean stray = !cutOffCounted && answers.test(cutOffAddress);
                    int serving = counted.size() + (stray ? 1 : 0);
                    String sample = Instant.now() + " " + counted + (stray ? " + the partitioned agent's copy" : "");
                    samples.add(sample);
                    if (serving < 2) gaps.add(sample);
                }
                long left = 100 - (System.nanoTime() - started) / 1_000_000;
                if (left > 0) sleep(left);
            }
        });
    }

    private static JsonNode lookAtApp(FaultCluster cluster) {
        try {
            var answer = cluster.api().send("GET", "/api/v1/teams/" + FaultCluster.TEAM + "/apps/" + WebApp.NAME, null);
            return answer.status() == 200 ? answer.json() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running.set(false);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
