package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.html.Span;
import dev.berth.platform.deployments.Deployment;

/** Badges for deployment states, replica counts and replica states, coloured by how well things go. */
final class DeploymentBadges {
    private DeploymentBadges() {
    }

    static Span state(Deployment d) {
        String text = d.state().value() + (d.kind() == Deployment.Kind.PUSH ? "" : " · " + d.kind().value());
        return badge(text, switch (d.state()) {
            case SUCCEEDED -> "success";
            case FAILED -> "error";
            case IN_PROGRESS -> "";
            case ROLLED_BACK, SUPERSEDED -> "contrast";
        });
    }

    static Span replicas(int healthy, int desired) {
        return badge(healthy + "/" + desired + " healthy", healthy >= desired ? "success" : healthy == 0 && desired > 0 ? "error" : "");
    }

    static Span replicaState(String state) {
        return badge(state.toLowerCase(java.util.Locale.ROOT), switch (state) {
            case "HEALTHY" -> "success";
            case "UNHEALTHY", "EXITED" -> "error";
            default -> "";
        });
    }

    static Span badge(String text, String theme) {
        var span = new Span(text);
        span.getElement().getThemeList().add(theme.isEmpty() ? "badge" : "badge " + theme);
        return span;
    }
}
