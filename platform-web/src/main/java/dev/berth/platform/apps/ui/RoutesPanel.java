package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import dev.berth.platform.apps.AppRoute;
import dev.berth.platform.certificates.CertificateState;
import dev.berth.platform.ui.Timestamps;
import java.util.List;

/**
 * The app's host names: each route of its current revision (and its default host under the apps
 * domain) with the certificate its edges present, and why the last order failed, in the sentence
 * the API gives.
 */
class RoutesPanel extends VerticalLayout {
    static final String NO_ROUTES = "No routes: this app is not served at a host name of its own. Add routes to its"
            + " berth.yaml (a host among the team's domains, a published port) and the edges serve it over HTTPS"
            + " with a certificate they renew themselves.";
    private final Grid<AppRoute> grid = new Grid<>();

    RoutesPanel() {
        setPadding(false);
        setId("app-routes");
        grid.setId("routes-grid");
        // The last error is what a team reads this for: it takes the room left and wraps.
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addComponentColumn(r -> {
            var link = new Anchor(r.url(), r.host() + (r.path().equals("/") ? "" : r.path()));
            link.setTarget("_blank");
            return link;
        }).setHeader("Address").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(r -> r.port() + (r.byDefault() ? " (default host)" : "")).setHeader("Port").setAutoWidth(true).setFlexGrow(0);
        grid.addComponentColumn(r -> certificate(r.certificate())).setHeader("Certificate").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(r -> r.certificate() == null || r.certificate().notAfter() == null ? ""
                : Timestamps.format(r.certificate().notAfter())).setHeader("Expires (UTC)").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(r -> r.certificate() == null || r.certificate().lastError() == null ? "" : r.certificate().lastError())
                .setHeader("Last error").setFlexGrow(1);
        grid.setEmptyStateText(NO_ROUTES);
        grid.setAllRowsVisible(true);
        add(grid);
    }

    void show(List<AppRoute> routes) {
        grid.setItems(routes);
    }

    /** A badge: issued by whom, uploaded, being ordered, or failed. */
    private static Span certificate(CertificateState state) {
        if (state == null) return new Span("");
        String text = switch (state.status()) {
            case ISSUED -> "issued by " + state.issuer();
            case UPLOADED -> "uploaded (" + state.issuer() + ")";
            case PENDING -> "being ordered";
            case FAILED -> "failed";
            case EXPIRED -> "expired";
        };
        var badge = new Span(text);
        badge.getElement().getThemeList().add(switch (state.status()) {
            case ISSUED, UPLOADED -> "badge success";
            case PENDING -> "badge";
            case FAILED, EXPIRED -> "badge error";
        });
        return badge;
    }
}
