package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.apps.AppService;
import dev.berth.platform.apps.AppSummary;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.teams.Team;
import dev.berth.platform.teams.TeamService;
import dev.berth.platform.ui.LiveUpdates;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.PermitAll;
import java.util.List;

/** A team's apps: revision, replicas healthy of desired, hosts and the last deployment, updated live. */
@Route("apps")
@Menu(title = "Apps", order = 1, icon = "vaadin:cubes")
@PageTitle("Apps · Berth")
@PermitAll
public class AppsView extends VerticalLayout implements BeforeEnterObserver {
    private final transient AppService apps;
    private final transient CallerResolver callers;
    private final ComboBox<String> team = new ComboBox<>("Team");
    private final Grid<AppSummary> grid = new Grid<>();

    public AppsView(AppService apps, TeamService teams, CallerResolver callers, LiveUpdates live) {
        this.apps = apps;
        this.callers = callers;
        setSizeFull();
        var heading = new H2("Apps");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        team.setId("apps-team");
        team.setItems(teams.list(callers.current()).stream().map(Team::name).toList());
        team.addValueChangeListener(e -> reload());
        var header = new HorizontalLayout(heading, team);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.expand(heading);

        grid.setId("apps-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(AppSummary::name).setHeader("App").setFlexGrow(1);
        grid.addColumn(a -> "#" + a.revision() + " · " + shortCommit(a.commit())).setHeader("Revision").setAutoWidth(true);
        grid.addColumn(DeploymentBadges.column(a -> DeploymentBadges.replicas(a.healthy(), a.desired()))).setHeader("Replicas").setAutoWidth(true);
        grid.addColumn(a -> a.hosts().isEmpty() ? "none" : String.join(", ", a.hosts())).setHeader("Hosts").setFlexGrow(1);
        grid.addColumn(DeploymentBadges.column(a -> DeploymentBadges.state(a.lastDeployment()))).setHeader("Last deployment").setAutoWidth(true);
        grid.addColumn(a -> Timestamps.format(a.lastDeployment().startedAt())).setHeader("Started (UTC)").setAutoWidth(true);
        // A click that lands while the list is replaced finds no item: nothing to open.
        grid.addItemClickListener(e -> {
            if (e.getItem() == null || team.getValue() == null) return;
            getUI().ifPresent(ui -> ui.navigate(AppView.class,
                    new RouteParameters(java.util.Map.of("team", team.getValue(), "app", e.getItem().name()))));
        });
        add(header, grid);
        setFlexGrow(1, grid);
        live.subscribe(this, change -> team.getValue() != null && change.topic().startsWith("app:" + team.getValue() + "/"),
                this::reload);
    }

    /**
     * {@code ?team=T} selects that team, otherwise the first. Chosen here rather than in the
     * constructor, so that the list is read once per visit, for the team shown.
     */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        event.getLocation().getQueryParameters().getSingleParameter("team")
                .filter(t -> team.getListDataView().getItems().anyMatch(t::equals))
                .or(() -> team.getValue() != null ? java.util.Optional.empty() : team.getListDataView().getItems().findFirst())
                .ifPresent(team::setValue);
        if (team.getValue() == null) reload(); // no team: the list says so
    }

    private void reload() {
        String selected = team.getValue();
        grid.setEmptyStateText(selected == null ? "You are not in any team yet."
                : "No apps yet. Push a berth.yaml to one of this team's repositories: its apps appear here as they deploy.");
        grid.setItems(selected == null ? List.of() : apps.list(callers.current(), selected));
    }

    static String shortCommit(String commit) {
        return commit == null ? "" : commit.substring(0, Math.min(8, commit.length()));
    }
}
