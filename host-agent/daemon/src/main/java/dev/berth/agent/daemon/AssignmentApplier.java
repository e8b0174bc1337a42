package dev.berth.agent.daemon;

import dev.berth.agent.protocol.AssignedContainer;
import dev.berth.agent.protocol.Assignment;
import dev.berth.agent.protocol.ContainerStatus;
import dev.berth.agent.runtime.LogFile;
import dev.berth.backoff.Backoff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Applies assignments, level-triggered: each container name converges on its own worker (a
 * virtual thread), so one slow pull or stop holds up nobody else. A worker plans with
 * {@link AssignmentPlan} against what the agent holds now, takes the step, and plans again until
 * nothing is left. A start that fails is reported as {@code failed} with why, noted in a log the
 * platform receives, and retried with backoff; every few seconds everything is planned again, so
 * whatever was missed converges anyway.
 *
 * <p>Which containers take traffic is applied apart from the steps, at once and for the whole
 * assignment (see {@link AssignmentPlan#admit()}), so an assignment that switches an app's traffic
 * from old containers to new ones does so in one step per port, before any old one is drained.
 */
final class AssignmentApplier implements AutoCloseable {
    private static final System.Logger log = System.getLogger(AssignmentApplier.class.getName());
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(60);
    private static final int RECONCILE_EVERY_TICKS = 10;

    /** The latest assignment with each container's fingerprint (first listing of a name wins). */
    private record Desired(long generation, Map<String, AssignedContainer> byName, Map<String, String> fingerprints,
                           List<AssignmentPlan.Wanted> wanted) {
        static final Desired NONE = new Desired(-1, Map.of(), Map.of(), List.of());
    }

    /** A container that could not be started: why, how often in a row, and when to try again. */
    record Failure(String app, String fingerprint, String error, int attempts, Instant retryAt) {
        Failure retryingAt(Instant at) {
            return new Failure(app, fingerprint, error, attempts, at);
        }
    }

    private final PlatformContainers containers;
    private final Runnable changed;
    private final Clock clock;
    private final byte[] key;
    private final Path notes;
    private volatile Desired desired = Desired.NONE;
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Set<String> working = ConcurrentHashMap.newKeySet();
    private final Set<String> again = ConcurrentHashMap.newKeySet();
    /** Containers that left so far: a start that failed while one left was short of what it freed. */
    private final java.util.concurrent.atomic.AtomicLong departures = new java.util.concurrent.atomic.AtomicLong();
    /** Held while traffic flags are applied, so an older assignment's never lands after a newer one's. */
    private final Object admitting = new Object();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("assignments").daemon().unstarted(r));
    private long ticks;
    private volatile boolean closed;

    /** @param changed told whenever a status the platform hears of changes (a start, a failure, a removal) */
    AssignmentApplier(PlatformContainers containers, Path stateDir, Clock clock, Runnable changed) throws IOException {
        this.containers = containers;
        this.changed = changed;
        this.clock = clock;
        this.key = SpecFingerprint.key(stateDir);
        this.notes = Files.createDirectories(stateDir.resolve("failures"));
        // Notes are logs the platform shows its users: root's alone on the host.
        Files.setPosixFilePermissions(notes, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        ticker.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** The wait before the next attempt after {@code attempts} failures in a row: 1 s, doubling, at most a minute. Pure. */
    static Duration backoff(int attempts) {
        return new Backoff(FIRST_RETRY, MAX_RETRY).delay(attempts);
    }

    /** Takes the assignment as the new desired set and starts converging on it; returns at once. */
    void apply(Assignment assignment) {
        var byName = new LinkedHashMap<String, AssignedContainer>();
        var fingerprints = new LinkedHashMap<String, String>();
        var wanted = new ArrayList<AssignmentPlan.Wanted>();
        for (AssignedContainer c : assignment.containers()) {
            String name = c.spec().name();
            if (byName.containsKey(name)) {
                log.log(System.Logger.Level.WARNING, "assignment " + assignment.generation() + " lists '" + name
                        + "' more than once; the first one counts");
                continue;
            }
            byName.put(name, c);
            String fingerprint = SpecFingerprint.of(key, c);
            fingerprints.put(name, fingerprint);
            String refusal = PlatformGrant.refusal(c);
            if (refusal != null) log.log(System.Logger.Level.WARNING, "assignment " + assignment.generation() + ": " + name + " " + refusal);
            wanted.add(new AssignmentPlan.Wanted(name, fingerprint, c.serving(), refusal));
        }
        synchronized (admitting) {
            desired = new Desired(assignment.generation(), byName, fingerprints, List.copyOf(wanted));
            // The traffic switch first, whole: containers let in serve and those dropped drain from this instant.
            containers.admit(AssignmentPlan.of(desired.wanted(), containers.held()).admit());
        }
        reconcileAll();
    }

    long generation() {
        return desired.generation();
    }

    /** No step is under way or asked for (a failure may be waiting for its retry). */
    boolean idle() {
        return working.isEmpty() && again.isEmpty();
    }

    /**
     * Assigned containers the agent does not hold yet: {@code failed} with why while its backoff
     * runs, else {@code starting}.
     */
    List<ContainerStatus> pending(Set<String> held) {
        var d = desired;
        var out = new ArrayList<ContainerStatus>();
        d.byName().forEach((name, c) -> {
            if (held.contains(name)) return;
            var f = failures.get(name);
            boolean failed = f != null && f.fingerprint().equals(d.fingerprints().get(name));
            out.add(new ContainerStatus(name, c.spec().app(), failed ? "failed" : "starting", null, false, null, 0, List.of(),
                    List.of(), failed ? reported(f.error()) : null));
        });
        return out;
    }

    /** An error as statuses carry it: at most {@link ContainerStatus#MAX_ERROR} characters. Pure. */
    static String reported(String error) {
        if (error == null || error.length() <= ContainerStatus.MAX_ERROR) return error;
        int cut = ContainerStatus.MAX_ERROR - 1;
        if (Character.isHighSurrogate(error.charAt(cut - 1))) cut--; // never half a character
        return error.substring(0, cut) + "…";
    }

    /** Notes of containers that cannot be started, for shipping as their log. */
    List<LogSource> notes(Set<String> held) {
        var out = new ArrayList<LogSource>();
        for (String name : failures.keySet()) {
            Path file = note(name);
            if (file != null && !held.contains(name) && desired.byName().containsKey(name) && Files.exists(file)) {
                out.add(new LogSource(name, file));
            }
        }
        return out;
    }

    private void reconcileAll() {
        var names = new HashSet<>(desired.byName().keySet());
        names.addAll(containers.platformNames());
        names.addAll(failures.keySet());
        names.forEach(this::kick);
    }

    private void kick(String name) {
        again.add(name);
        schedule(name);
    }

    private void schedule(String name) {
        if (closed || !working.add(name)) return;
        try {
            workers.execute(() -> work(name));
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            working.remove(name);
        }
    }

    private void work(String name) {
        try {
            while (!closed && again.remove(name)) converge(name);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "applying the assignment to " + name + " failed: " + e);
        } finally {
            working.remove(name);
            if (again.contains(name)) schedule(name);
        }
    }

    /**
     * Takes the steps for one name until none is left, or a start has to wait for its backoff; then
     * sets whether it takes traffic, in case the container it started was asked for by an older assignment.
     */
    private void converge(String name) {
        // A replace is two steps (the old one goes, the new one starts), then the traffic flag; never more.
        for (int round = 0; round < 4 && !closed; round++) {
            var d = desired;
            var plan = AssignmentPlan.of(d.wanted(), containers.held());
            var step = plan.stepFor(name);
            if (step.isEmpty()) {
                if (!d.byName().containsKey(name)) forget(name);
                admit(d, name, plan.admit().get(name));
                return;
            }
            String fingerprint = d.fingerprints().get(name);
            switch (step.get()) {
                case AssignmentPlan.Step.Remove r -> {
                    retire(name, "removing " + name + ": no longer assigned");
                    forget(name);
                    return;
                }
                case AssignmentPlan.Step.Replace r -> {
                    if (!retire(name, "replacing " + name + ": " + r.why())) return;
                }
                case AssignmentPlan.Step.Start s -> {
                    if (waiting(name, fingerprint)) return;
                    if (!start(d.byName().get(name), fingerprint)) return;
                }
                case AssignmentPlan.Step.Refuse r -> {
                    if (!waiting(name, fingerprint)) fail(name, d.byName().get(name).spec().app(), fingerprint, r.why(), false);
                    return;
                }
            }
        }
    }

    private boolean retire(String name, String why) {
        log.log(System.Logger.Level.INFO, why);
        try {
            containers.retire(name);
            departures.incrementAndGet();
            changed.run();
            retryFailuresNow();
            return true;
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.WARNING, why + " failed: " + e.getMessage() + "; trying again shortly");
            return false;
        }
    }

    /**
     * A container that left freed what it held (its address in the container subnet, its ports, its
     * memory), which a failed start may have been short of: every start waiting on its backoff tries
     * again now, not seconds later. Its attempts still count, so one that keeps failing backs off.
     */
    private void retryFailuresNow() {
        if (failures.isEmpty()) return;
        Instant now = clock.instant();
        failures.replaceAll((n, f) -> f.retryAt().isAfter(now) ? f.retryingAt(now) : f);
        failures.keySet().forEach(this::kick);
    }

    /** Whether it started. */
    private boolean start(AssignedContainer container, String fingerprint) {
        String name = container.spec().name();
        long departed = departures.get();
        try {
            containers.startAssigned(container, fingerprint);
            if (failures.remove(name) != null) log.log(System.Logger.Level.INFO, "started " + name + " after failures");
            else log.log(System.Logger.Level.INFO, "started " + name);
            deleteNote(name);
            return true;
        } catch (IOException | RuntimeException e) {
            // A container that left meanwhile may have freed what this start lacked, after its retry call came.
            fail(name, container.spec().app(), fingerprint, e.getMessage() == null ? e.toString() : e.getMessage(),
                    departures.get() != departed);
            return false;
        } finally {
            changed.run();
        }
    }

    /**
     * Sets one container's traffic flag as planned from {@code d}, unless a newer assignment came
     * meanwhile (it set every flag itself, and plans this name again).
     */
    private void admit(Desired d, String name, Boolean admitted) {
        if (admitted == null) return;
        synchronized (admitting) {
            if (desired == d) containers.admit(Map.of(name, admitted));
        }
    }

    private boolean waiting(String name, String fingerprint) {
        var f = failures.get(name);
        return f != null && f.fingerprint().equals(fingerprint) && clock.instant().isBefore(f.retryAt());
    }

    /** @param retryNow try again without a backoff (still counted as an attempt) */
    private void fail(String name, String app, String fingerprint, String error, boolean retryNow) {
        var before = failures.get(name);
        int attempts = before != null && before.fingerprint().equals(fingerprint) ? before.attempts() + 1 : 1;
        Duration wait = retryNow ? Duration.ZERO : backoff(attempts);
        Instant now = clock.instant();
        if (before == null || !before.error().equals(error)) {
            log.log(System.Logger.Level.WARNING, "cannot start " + name + ": " + error + "; retrying with backoff");
        }
        // The note first: whoever sees the failure can read why.
        Path note = note(name);
        if (note != null) {
            try {
                if (!Files.exists(note)) LogFile.createPrivate(note);
                Files.writeString(note, now + " berth-agent: cannot start " + name + " (attempt " + attempts + ", next in "
                        + wait.toSeconds() + "s): " + error + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                log.log(System.Logger.Level.WARNING, "cannot note the failure of " + name + ": " + e.getMessage());
            }
        }
        failures.put(name, new Failure(app, fingerprint, error, attempts, now.plus(wait)));
        changed.run();
        if (retryNow) kick(name);
    }

    private void forget(String name) {
        if (failures.remove(name) != null) changed.run();
        deleteNote(name);
    }

    /** The notes file of a container, or null when its name is not a valid container name (and so no safe file name). */
    private Path note(String name) {
        return ContainerNames.valid(name) ? notes.resolve(name + ".log") : null;
    }

    private void deleteNote(String name) {
        Path note = note(name);
        if (note == null) return;
        try {
            Files.deleteIfExists(note);
        } catch (IOException e) {
            // stays until the next success
        }
    }

    /** Retries failures whose backoff is over; now and then plans everything again. */
    private void tick() {
        try {
            Instant now = clock.instant();
            failures.forEach((name, f) -> {
                if (!now.isBefore(f.retryAt())) kick(name);
            });
            if (++ticks % RECONCILE_EVERY_TICKS == 0) reconcileAll();
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.WARNING, "the assignment tick failed: " + e);
        }
    }

    /** Stops applying; steps under way are interrupted where they wait. Containers stay as they are. */
    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        workers.shutdownNow();
    }
}
