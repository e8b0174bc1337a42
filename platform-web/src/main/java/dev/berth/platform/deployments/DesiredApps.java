package dev.berth.platform.deployments;

import dev.berth.deployer.Desired;
import dev.berth.deployer.Resources;
import dev.berth.deployer.Strategy;
import dev.berth.gitsync.definition.AppDefinition;
import dev.berth.gitsync.definition.Deploy;

/** An app's definition as the planner wants it: replicas, what each reserves, how a rollout goes. Pure. */
public final class DesiredApps {
    private DesiredApps() {
    }

    /** The planner's view of {@code app} at {@code revision}. */
    public static Desired of(String team, AppDefinition app, long revision) {
        Deploy deploy = app.deploy() == null ? Deploy.DEFAULT : app.deploy();
        return new Desired(team, app.name(), revision, app.replicas(), reserved(app), strategy(deploy), deploy.healthTimeout());
    }

    /** What one replica of {@code app} reserves on its host. */
    public static Resources reserved(AppDefinition app) {
        return new Resources(app.resources().memoryBytes(), app.resources().cpuMillis());
    }

    static Strategy strategy(Deploy deploy) {
        return switch (deploy.strategy()) {
            // The parser refuses 0 and 0; a stored definition that has it still moves, one at a time.
            case ROLLING -> deploy.maxSurge() == 0 && deploy.maxUnavailable() == 0 ? new Strategy.Rolling(1, 0)
                    : new Strategy.Rolling(deploy.maxSurge(), deploy.maxUnavailable());
            case RECREATE -> new Strategy.Recreate();
            case BLUE_GREEN -> new Strategy.BlueGreen();
        };
    }
}
