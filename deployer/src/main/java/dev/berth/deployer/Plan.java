package dev.berth.deployer;

import java.util.List;

/**
 * The steps for one planning round, in the order the caller should run them.
 *
 * @param steps the steps; empty when the observed state already matches the desired one
 */
public record Plan(List<Step> steps) {
    /** Copies the steps. */
    public Plan {
        steps = List.copyOf(steps);
    }

    /**
     * Whether there is nothing to do.
     *
     * @return true when there are no steps
     */
    public boolean converged() {
        return steps.isEmpty();
    }

    /**
     * The steps of one kind, in plan order.
     *
     * @param type the kind of step
     * @param <T> the kind of step
     * @return those steps
     */
    public <T extends Step> List<T> steps(Class<T> type) {
        return steps.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
