package dev.berth.platform.repositories.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.repositories.Repository;
import dev.berth.platform.repositories.RepositoryService;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.teams.Team;
import dev.berth.platform.teams.TeamService;
import dev.berth.platform.ui.LiveUpdates;
import dev.berth.platform.ui.Notices;
import jakarta.annotation.security.PermitAll;

/** A team's repositories; selecting one shows its clone URL, first-push steps and revisions. */
@Route("repositories")
@Menu(title = "Repositories", order = 3, icon = "vaadin:code")
@PageTitle("Repositories · Berth")
@PermitAll
public class RepositoriesView extends VerticalLayout implements BeforeEnterObserver {
    private final transient RepositoryService repositories;
    private final transient CallerResolver callers;
    private final ComboBox<String> team = new ComboBox<>("Team");
    private final Grid<Repository> grid = new Grid<>();
    private final Button newRepository = new Button("New repository", VaadinIcon.PLUS.create(), e -> openNew());
    private final Button registerExternal = new Button("Register external", VaadinIcon.CLOUD_DOWNLOAD.create(), e -> openExternal());
    private final RepositoryPanel panel;

    public RepositoriesView(RepositoryService repositories, TeamService teams, CallerResolver callers, LiveUpdates live) {
        this.repositories = repositories;
        this.callers = callers;
        setSizeFull();
        var heading = new H2("Repositories");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        team.setId("repository-team");
        team.setItems(teams.list(callers.current()).stream().map(Team::name).toList());
        team.addValueChangeListener(e -> reload());
        newRepository.setId("new-repository");
        newRepository.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        registerExternal.setId("register-external-open");
        var header = new HorizontalLayout(heading, team, registerExternal, newRepository);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.BASELINE);
        header.expand(heading);

        grid.setId("repositories-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(Repository::name).setHeader("Name").setFlexGrow(2);
        grid.addColumn(Repository::deployBranch).setHeader("Deploy branch");
        grid.addColumn(r -> r.kind().toLowerCase()).setHeader("Kind");
        panel = new RepositoryPanel(repositories, callers, live, this::reloadKeepingSelection);
        grid.asSingleSelect().addValueChangeListener(e -> panel.show(e.getValue()));

        var content = new HorizontalLayout(grid, panel);
        content.setSizeFull();
        grid.setWidth("35%");
        grid.setHeightFull();
        panel.setWidth("65%");
        add(header, content);
        setFlexGrow(1, content);
        team.getListDataView().getItems().findFirst().ifPresent(team::setValue);
        reload();
    }

    /** {@code ?team=T&repository=R}, as the link printed after a push: opens that repository. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var query = event.getLocation().getQueryParameters();
        query.getSingleParameter("team").filter(t -> team.getListDataView().getItems().anyMatch(t::equals)).ifPresent(t -> {
            team.setValue(t);
            query.getSingleParameter("repository").flatMap(r -> grid.getListDataView().getItems()
                    .filter(repo -> repo.name().equals(r)).findFirst()).ifPresent(grid::select);
        });
    }

    private void reloadKeepingSelection(Repository repository) {
        reload();
        grid.getListDataView().getItems().filter(r -> r.id() == repository.id()).findFirst().ifPresent(grid::select);
    }

    private void reload() {
        String selected = team.getValue();
        boolean admin = selected != null
                && AccessPolicy.decide(callers.current(), Permission.CREATE_REPOSITORY, selected) instanceof AccessPolicy.Allowed;
        newRepository.setVisible(admin);
        registerExternal.setVisible(admin);
        grid.setEmptyStateText(selected == null ? "You are not in any team yet."
                : admin ? "No repositories yet. Create one with New repository, then push a berth.yaml to it."
                : "No repositories yet. A team ADMIN can create one.");
        grid.setItems(selected == null ? java.util.List.of() : repositories.list(callers.current(), selected));
        panel.show(null);
    }

    private void openExternal() {
        String selected = team.getValue();
        var dialog = new ExternalRepositoryDialog(selected);
        dialog.addRegisterListener(e -> {
            try {
                var registered = repositories.registerExternal(callers.current(), selected, e.name(), e.source(), RequestOrigin.current());
                dialog.close();
                // Selected by id: its sync state may have moved on since the registration answered.
                reloadKeepingSelection(registered.repository());
                new WebhookSecretDialog(registered).open();
            } catch (Problem p) {
                Notices.problem(p);
            }
        });
        dialog.open();
    }

    private void openNew() {
        String selected = team.getValue();
        var dialog = new NewRepositoryDialog(selected);
        dialog.addCreateListener(e -> {
            try {
                var created = repositories.create(callers.current(), selected, e.name(), e.branch(), RequestOrigin.current());
                dialog.close();
                Notices.done("Repository " + created.name() + " created");
                reload();
                grid.select(created);
            } catch (Problem p) {
                Notices.problem(p);
            }
        });
        dialog.open();
    }
}
