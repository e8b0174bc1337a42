package dev.berth.agent.bundle;

/** One small change to a spec, given what the builder knows about this container and host. */
@FunctionalInterface
public interface SpecOption {
    void apply(OciSpec spec, BundleContext context);
}
