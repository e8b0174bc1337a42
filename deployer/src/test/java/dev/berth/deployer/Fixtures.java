package dev.berth.deployer;

import dev.berth.deployer.Replica.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small factories for planner inputs. Every app belongs to team {@code acme}. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Duration HEALTH = Duration.ofMinutes(2);
    static final long MI = 1L << 20;
    static final Resources SMALL = new Resources(128 * MI, 500);

    private Fixtures() {
    }

    static Desired desired(String app, long revision, int replicas, Strategy strategy) {
        return new Desired("acme", app, revision, replicas, SMALL, strategy, HEALTH);
    }

    static Desired web(long revision, int replicas, Strategy strategy) {
        return desired("web", revision, replicas, strategy);
    }

    static Strategy rolling(int surge, int unavailable) {
        return new Strategy.Rolling(surge, unavailable);
    }

    static Host host(String id, long memoryMi, int cpuMillis) {
        return new Host(id, memoryMi * MI, cpuMillis, T0.minusSeconds(5));
    }

    /** Alive hosts of 1Gi and 2000m each. */
    static List<Host> hosts(String... ids) {
        List<Host> out = new ArrayList<>();
        for (String id : ids) {
            out.add(host(id, 1024, 2000));
        }
        return out;
    }

    /** An alive host of 1Gi and 2000m that drains. */
    static Host draining(String id) {
        return new Host(id, 1024 * MI, 2000, T0.minusSeconds(5), true);
    }

    static Host dead(String id) {
        return new Host(id, 1024 * MI, 2000, T0.minus(Duration.ofMinutes(5)));
    }

    /** A replica of {@code acme/<app>} whose id follows the planner's scheme, in its state since T0 - ago. */
    static Replica replica(String app, long revision, int index, String host, State state, Duration ago) {
        return new Replica("acme." + app + "." + revision + "." + index, "acme/" + app, revision, host, state,
                T0.minus(ago), SMALL);
    }

    static Replica web(long revision, int index, String host, State state) {
        return replica("web", revision, index, host, state, Duration.ofMinutes(10));
    }

    static Replica web(long revision, int index, String host, State state, Duration ago) {
        return replica("web", revision, index, host, state, ago);
    }

    /** {@code count} healthy replicas of web at {@code revision}, spread round-robin over {@code hosts}. */
    static List<Replica> healthyWeb(long revision, int count, String... hosts) {
        List<Replica> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(web(revision, i, hosts[i % hosts.length], State.HEALTHY));
        }
        return out;
    }

    @SafeVarargs
    static <T> List<T> concat(List<? extends T>... lists) {
        List<T> out = new ArrayList<>();
        for (List<? extends T> l : lists) {
            out.addAll(l);
        }
        return out;
    }
}
