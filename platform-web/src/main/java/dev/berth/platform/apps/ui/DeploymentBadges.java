package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.data.renderer.Renderer;
import com.vaadin.flow.function.SerializableFunction;
import dev.berth.platform.deployments.Deployment;

/** Badges for deployment states, replica counts and replica states, coloured by how well things go. */
final class DeploymentBadges {
    private DeploymentBadges() {
    }

    /** A badge's words and its Lumo theme ({@code badge success}, ...). */
    record Badge(String text, String theme) {
        Span span() {
            var span = new Span(text);
            span.getElement().getThemeList().add(theme);
            return span;
        }
    }

    /**
     * A grid column of badges drawn by the browser from two properties per row, rather than a
     * server-side component per row: a list of 100 apps otherwise builds 200 components a visit.
     */
    static <T> Renderer<T> column(SerializableFunction<T, Badge> badge) {
        return LitRenderer.<T>of("<span theme=\"${item.theme}\">${item.text}</span>")
                .withProperty("text", t -> badge.apply(t).text())
                .withProperty("theme", t -> badge.apply(t).theme());
    }

    static Badge state(Deployment d) {
        String text = d.state().value() + (d.kind() == Deployment.Kind.PUSH ? "" : " · " + d.kind().value());
        return badge(text, switch (d.state()) {
            case SUCCEEDED -> "success";
            case FAILED -> "error";
            case IN_PROGRESS -> "";
            case ROLLED_BACK, SUPERSEDED -> "contrast";
        });
    }

    static Badge replicas(int healthy, int desired) {
        return badge(healthy + "/" + desired + " healthy", healthy >= desired ? "success" : healthy == 0 && desired > 0 ? "error" : "");
    }

    static Badge replicaState(String state) {
        return badge(state.toLowerCase(java.util.Locale.ROOT), switch (state) {
            case "HEALTHY" -> "success";
            case "UNHEALTHY", "EXITED" -> "error";
            default -> "";
        });
    }

    static Badge badge(String text, String theme) {
        return new Badge(text, theme.isEmpty() ? "badge" : "badge " + theme);
    }
}
