package dev.berth.agent.daemon;

import dev.berth.agent.Await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The applier drives the agent only through {@link PlatformContainers}: here a fake, in memory,
 * with no runc, ports or images behind it.
 */
class AssignmentApplierSeamTest {
    @TempDir
    Path state;

    /** Holds what it was told to start; says what it did, in order. */
    static final class FakeContainers implements PlatformContainers {
        final Map<String, AssignmentPlan.Held> held = new ConcurrentHashMap<>();
        final List<String> said = Collections.synchronizedList(new ArrayList<>());
        /** How many containers fit, as a full container subnet limits them. */
        volatile int room = Integer.MAX_VALUE;

        @Override
        public List<AssignmentPlan.Held> held() {
            return List.copyOf(held.values());
        }

        @Override
        public Set<String> platformNames() {
            return Set.copyOf(held.keySet());
        }

        @Override
        public synchronized void startAssigned(AssignedContainer assigned, String fingerprint) throws IOException {
            String name = assigned.spec().name();
            if (name.startsWith("broken")) throw new IOException("no such image");
            if (held.size() >= room) throw new IOException("no IP addresses available in the container subnet");
            held.put(name, new AssignmentPlan.Held(name, AssignmentPlan.Owner.PLATFORM, fingerprint, false,
                    assigned.serving()));
            said.add("start " + name);
        }

        @Override
        public synchronized void retire(String name) {
            held.remove(name);
            said.add("retire " + name);
        }

        @Override
        public void admit(Map<String, Boolean> admit) {
            admit.forEach((name, admitted) -> held.computeIfPresent(name,
                    (n, h) -> new AssignmentPlan.Held(n, h.owner(), h.fingerprint(), h.lost(), admitted)));
        }
    }

    private static AssignedContainer container(String name) {
        return new AssignedContainer(new ContainerSpec(ContainerSpec.VERSION, name, "web", null, "registry.example.com/acme/web:1",
                List.of("/bin/httpd"), null, null, null, null, null, null, null, null, null, null, null, null), 1, Map.of());
    }

    private static Assignment generation(long generation, AssignedContainer... containers) {
        return new Assignment(1, "host-1", generation, List.of(containers));
    }

    @Test
    void startsWhatIsAssignedAndRetiresWhatIsNoLonger() throws Exception {
        var fake = new FakeContainers();
        var changes = new java.util.concurrent.atomic.AtomicInteger();
        try (var applier = new AssignmentApplier(fake, state, Clock.systemUTC(), changes::incrementAndGet)) {
            applier.apply(generation(1, container("web-1"), container("web-2")));
            Await.until(() -> applier.idle() && fake.held.size() == 2);
            assertThat(fake.said).containsExactlyInAnyOrder("start web-1", "start web-2");
            assertThat(applier.generation()).isEqualTo(1);

            applier.apply(generation(2, container("web-2")));
            Await.until(() -> applier.idle() && fake.held.size() == 1);
            assertThat(fake.said).endsWith("retire web-1");
            assertThat(changes.get()).isPositive();
        }
    }

    @Test
    void aStartShortOfRoomRetriesWhenAContainerLeavesNotAfterItsBackoff() throws Exception {
        var fake = new FakeContainers();
        fake.room = 1;
        // A clock that stands still: no backoff ever runs out, so only the leaving container can wake the start.
        var frozen = Clock.fixed(java.time.Instant.parse("2026-12-06T08:00:00Z"), java.time.ZoneOffset.UTC);
        try (var applier = new AssignmentApplier(fake, state, frozen, () -> { })) {
            applier.apply(generation(1, container("web-1"), container("web-2")));
            Await.until(() -> applier.idle() && applier.pending(fake.held.keySet()).size() == 1
                    && "failed".equals(applier.pending(fake.held.keySet()).getFirst().state()));
            String waiting = applier.pending(fake.held.keySet()).getFirst().name();

            applier.apply(generation(2, container(waiting)));
            Await.until(() -> applier.idle() && fake.held.keySet().equals(Set.of(waiting)));
            assertThat(fake.said).endsWith("start " + waiting);
        }
    }

    @Test
    void aStartThatFailsIsReportedAsFailedWithWhy() throws Exception {
        var fake = new FakeContainers();
        try (var applier = new AssignmentApplier(fake, state, Clock.systemUTC(), () -> { })) {
            applier.apply(generation(1, container("broken-1")));
            Await.until(() -> applier.idle() && !applier.pending(Set.of()).isEmpty()
                    && "failed".equals(applier.pending(Set.of()).getFirst().state()));
            assertThat(applier.pending(Set.of()).getFirst().error()).contains("no such image");
            assertThat(applier.notes(Set.of())).extracting(LogSource::container).containsExactly("broken-1");
        }
    }
}
