package dev.berth.agent.bundle;

import java.util.List;

/**
 * Pure: container spec and host facts in, a validated OCI spec out. Defaults from the profile,
 * then the options in order, then every named check.
 */
public final class BundleBuilder {
    private BundleBuilder() {
    }

    public static OciSpec build(BundleContext context) {
        return build(context, SpecOptions.all());
    }

    public static OciSpec build(BundleContext context, List<SpecOption> options) {
        if (context.container().command().isEmpty()) {
            throw new BundleRejected(List.of(new BundleRejected.Violation("command", "a command to run is required")));
        }
        OciSpec spec = ContainerProfile.defaults(context.host());
        for (SpecOption option : options) option.apply(spec, context);
        BundleValidator.validate(spec, context);
        return spec;
    }
}
