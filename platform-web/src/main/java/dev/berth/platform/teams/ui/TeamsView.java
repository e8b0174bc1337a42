package dev.berth.platform.teams.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.grid.dataview.GridListDataView;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.egress.EgressAllowService;
import dev.berth.platform.teams.Team;
import dev.berth.platform.teams.TeamService;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.users.UserService;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;

/**
 * The teams the caller can see; selecting one shows its members and its network (the private
 * ranges its apps may reach). Platform admins create teams here.
 */
@Route("teams")
@Menu(title = "Teams", order = 2, icon = "vaadin:users")
@RouteAlias("")
@PageTitle("Teams · Berth")
@PermitAll
public class TeamsView extends VerticalLayout {
    private final transient TeamService teams;
    private final transient CallerResolver callers;
    private final Grid<Team> grid = new Grid<>();
    private final List<Team> shown = new ArrayList<>();
    private final GridListDataView<Team> data;
    private final MembersPanel members;

    public TeamsView(TeamService teams, UserService users, EgressAllowService egress, CallerResolver callers) {
        this.teams = teams;
        this.callers = callers;
        boolean platformAdmin = callers.current().platformAdmin();
        setSizeFull();

        var heading = new H2("Teams");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var header = new HorizontalLayout(heading);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);
        if (platformAdmin) {
            var newTeam = new Button("New team", VaadinIcon.PLUS.create(), e -> openNewTeam());
            newTeam.setId("new-team");
            newTeam.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            header.add(newTeam);
        }

        grid.setId("teams-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(Team::name).setHeader("Name").setFlexGrow(2);
        grid.addColumn(t -> t.yourRole() == null ? "" : t.yourRole().name()).setHeader("Your role");
        grid.addColumn(Team::members).setHeader("Members");
        grid.setEmptyStateText(platformAdmin
                ? "No teams yet. Create the first one with New team."
                : "You are not in any team yet. Ask a platform admin to add you.");
        // A list the grid keeps: refreshing it after a member change keeps the selected team selected.
        data = grid.setItems(shown);
        data.setIdentifierProvider(Team::name);

        members = new MembersPanel(teams, users, callers, this::reload);
        var network = new NetworkPanel(egress, callers);
        grid.asSingleSelect().addValueChangeListener(e -> {
            String team = e.getValue() == null ? null : e.getValue().name();
            members.show(team);
            network.show(team);
        });

        var details = new VerticalLayout(members, network);
        details.setPadding(false);
        details.getStyle().set("overflow", "auto"); // members and network scroll together beside the grid
        var content = new HorizontalLayout(grid, details);
        content.setSizeFull();
        grid.setWidth("40%");
        grid.setHeightFull();
        details.setWidth("60%");
        details.setHeightFull();
        add(header, content);
        setFlexGrow(1, content);
        reload();
    }

    private void reload() {
        shown.clear();
        shown.addAll(teams.list(callers.current()));
        data.refreshAll();
    }

    private void openNewTeam() {
        var dialog = new NewTeamDialog();
        dialog.addCreateListener(e -> {
            try {
                var team = teams.create(callers.current(), e.name(), RequestOrigin.current());
                dialog.close();
                Notices.done("Team " + team.name() + " created");
                reload();
                grid.select(team);
            } catch (Problem p) {
                Notices.problem(p);
            }
        });
        dialog.open();
    }
}
