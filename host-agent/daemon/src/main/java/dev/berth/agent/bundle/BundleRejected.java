package dev.berth.agent.bundle;

import java.util.List;
import java.util.stream.Collectors;

/** A container spec that breaks the profile; each violation names the check and says why. */
public final class BundleRejected extends RuntimeException {
    private final List<Violation> violations;

    public record Violation(String check, String reason) {
        @Override
        public String toString() {
            return check + ": " + reason;
        }
    }

    public BundleRejected(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
