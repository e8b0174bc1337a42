package dev.berth.platform.certificates.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.certificates.CertificateState;
import dev.berth.platform.certificates.CertificateUploads;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import java.util.List;

/**
 * The certificate of each of an app's route hosts: where it comes from, where it stands, who
 * issued it, when it expires, and why the last order failed, in the sentence the API gives. For
 * the app page, which adds it and calls {@link #show(String, String)}.
 */
public class CertificatesPanel extends VerticalLayout {
    static final String NO_ROUTES = "No routes: this app serves no host name, so it needs no certificate.";
    private final transient CertificateUploads certificates;
    private final transient CallerResolver callers;
    private final Grid<CertificateState> grid = new Grid<>();
    private String team;
    private String app;

    public CertificatesPanel(CertificateUploads certificates, CallerResolver callers) {
        this.certificates = certificates;
        this.callers = callers;
        setPadding(false);
        setId("app-certificates");
        var title = new H3("Certificates");
        title.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.MEDIUM);
        var reload = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> reload());
        reload.setId("certificates-refresh");
        reload.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        var heading = new HorizontalLayout(title, reload);
        heading.setAlignItems(FlexComponent.Alignment.CENTER);

        grid.setId("certificates-grid");
        // The last error is what a team reads the grid for: it takes the room left and wraps.
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addColumn(CertificateState::host).setHeader("Host").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(s -> s.source().json()).setHeader("Source").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(s -> s.status().json()).setHeader("Status").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(s -> s.issuer() == null ? "" : s.issuer()).setHeader("Issuer").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(s -> s.notAfter() == null ? "" : Timestamps.format(s.notAfter())).setHeader("Expires (UTC)")
                .setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(CertificatesPanel::problem).setHeader("Last error").setFlexGrow(1);
        grid.setEmptyStateText(NO_ROUTES);
        grid.setAllRowsVisible(true);
        add(heading, grid);
    }

    /** Shows {@code team}'s app {@code app}. */
    public void show(String team, String app) {
        this.team = team;
        this.app = app;
        reload();
    }

    void reload() {
        try {
            display(certificates.list(callers.current(), team, app));
        } catch (Problem p) {
            Notices.problem(p);
        }
    }

    void display(List<CertificateState> states) {
        grid.setItems(states);
    }

    List<CertificateState> shown() {
        return grid.getGenericDataView().getItems().toList();
    }

    /** The last error with when it happened, or nothing. */
    static String problem(CertificateState state) {
        if (state.lastError() == null) return "";
        return state.lastError() + (state.lastAttempt() == null ? "" : " (" + Timestamps.format(state.lastAttempt()) + ")");
    }
}
