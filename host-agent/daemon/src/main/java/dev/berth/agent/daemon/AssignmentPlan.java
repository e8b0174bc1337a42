package dev.berth.agent.daemon;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What it takes to turn the containers a host holds into the ones its assignment lists: start
 * what is missing, replace platform containers whose spec or secrets changed (or whose process
 * is lost), remove platform containers no longer listed. Containers started by hand are never
 * touched, and a name one of them holds cannot be assigned. A container the agent refuses to run
 * (see {@link Wanted#refusal()}) is never started; a platform container under its name goes. Applying the plan and planning again
 * gives no steps: the same assignment twice is a no-op. Pure.
 *
 * <p>Whether a container may take traffic is not part of its fingerprint: a change of it is no
 * step but an entry of {@link #admit()}, which the agent applies to its ports all at once, so one
 * assignment that lets new containers in and drops (or keeps out) old ones switches traffic in one
 * step per port, and the containers it lets in keep running as they are.
 *
 * @param steps what to do, one container name at a time
 * @param admit held platform containers whose traffic flag must change, to what: a listed one to
 *              its assignment's {@code serving}, one no longer listed to false (it drains before it goes)
 */
public record AssignmentPlan(List<Step> steps, Map<String, Boolean> admit) {

    /** Who started a container: the platform through an assignment, or a person through the CLI. */
    public enum Owner { HAND, PLATFORM }

    /**
     * A container the assignment lists; {@code fingerprint} covers its spec and secret values,
     * {@code serving} whether it may take traffic, {@code refusal} why the agent will not run it
     * (null when it will).
     */
    public record Wanted(String name, String fingerprint, boolean serving, String refusal) {
        public Wanted(String name, String fingerprint, boolean serving) {
            this(name, fingerprint, serving, null);
        }
    }

    /**
     * A container the agent holds. {@code fingerprint} is the one it was started from (null for
     * hand-started ones); {@code lost} means it cannot serve as it is and only replacing it brings
     * it back: its start was cut short (neither running nor exited with a status), or its
     * published ports could not be opened again when the agent adopted it. {@code admitted}:
     * whether it may take traffic now (always true for hand-started ones).
     */
    public record Held(String name, Owner owner, String fingerprint, boolean lost, boolean admitted) {
    }

    /** One thing to do for one container name. */
    public sealed interface Step {
        String name();

        record Start(String name) implements Step {
        }

        record Replace(String name, String why) implements Step {
        }

        record Remove(String name) implements Step {
        }

        /** The assignment asks for something the agent will not do; {@code why} says what. */
        record Refuse(String name, String why) implements Step {
        }
    }

    public AssignmentPlan {
        steps = List.copyOf(steps);
        admit = Map.copyOf(admit);
    }

    public static AssignmentPlan of(List<Wanted> wanted, List<Held> held) {
        Map<String, Held> byName = held.stream().collect(Collectors.toMap(Held::name, Function.identity(), (a, b) -> a,
                LinkedHashMap::new));
        var steps = new ArrayList<Step>();
        var admit = new LinkedHashMap<String, Boolean>();
        var listed = new HashSet<String>();
        for (Wanted w : wanted) {
            if (!listed.add(w.name())) {
                steps.add(new Step.Refuse(w.name(), "'" + w.name() + "' is listed more than once in the assignment"));
                continue;
            }
            Held h = byName.get(w.name());
            if (h == null) {
                steps.add(w.refusal() == null ? new Step.Start(w.name()) : new Step.Refuse(w.name(), w.refusal()));
            } else if (h.owner() == Owner.HAND) {
                steps.add(new Step.Refuse(w.name(), "a container started by hand is named '" + w.name()
                        + "'; the agent leaves it alone, so remove it with 'berth-agent rm " + w.name() + "' to run the assigned one"));
            } else if (w.refusal() != null) {
                // What runs under the name is not what the platform asks for now, and that cannot run: it goes.
                steps.add(new Step.Replace(w.name(), "what is assigned now is refused"));
            } else if (!w.fingerprint().equals(h.fingerprint())) {
                steps.add(new Step.Replace(w.name(), "its spec or secrets changed"));
            } else if (h.lost()) {
                steps.add(new Step.Replace(w.name(), "its start was cut short or its ports could not be opened again"));
            }
            boolean serving = w.serving() && w.refusal() == null;
            if (h != null && h.owner() == Owner.PLATFORM && h.admitted() != serving) admit.put(w.name(), serving);
        }
        held.stream().filter(h -> h.owner() == Owner.PLATFORM && !listed.contains(h.name()))
                .sorted(Comparator.comparing(Held::name))
                .forEach(h -> {
                    steps.add(new Step.Remove(h.name()));
                    if (h.admitted()) admit.put(h.name(), false);
                });
        return new AssignmentPlan(steps, admit);
    }

    /** The step for one container; the first when the name appears more than once. */
    public Optional<Step> stepFor(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
