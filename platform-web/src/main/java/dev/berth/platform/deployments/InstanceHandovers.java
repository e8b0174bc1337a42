package dev.berth.platform.deployments;

import dev.berth.platform.cluster.InstanceStopped;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When a platform instance stops answering, every deployment that was in progress at its last
 * check-in says so in its timeline, with the instance that carried on: a rollout is driven by rounds
 * any instance may run, so the survivors finish it, and people reading the timeline later learn why
 * it took longer. Runs inside the transaction that took the stopped instance out, so it is said once.
 */
@Component
class InstanceHandovers {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final DeploymentStore deployments;
    private final EffectsFactory effects;

    InstanceHandovers(DeploymentStore deployments, EffectsFactory effects) {
        this.deployments = deployments;
        this.effects = effects;
    }

    @EventListener
    void stopped(InstanceStopped stopped) {
        var fx = effects.open();
        for (var app : deployments.noteHandover(stopped.lastSeen(), sentence(stopped))) fx.changed(app.team(), app.app());
        fx.afterCommit();
    }

    /** What the timeline says. */
    static String sentence(InstanceStopped stopped) {
        return "platform instance " + stopped.name() + " stopped answering (last seen "
                + TIME.format(stopped.lastSeen().truncatedTo(ChronoUnit.SECONDS)) + " UTC); instance " + stopped.noticedBy()
                + " took over its work";
    }
}
