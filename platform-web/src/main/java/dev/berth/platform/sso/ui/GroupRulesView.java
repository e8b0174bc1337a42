package dev.berth.platform.sso.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.access.Role;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.sso.GroupRule;
import dev.berth.platform.sso.GroupRules;
import dev.berth.platform.sso.SsoProperties;
import dev.berth.platform.teams.Team;
import dev.berth.platform.teams.TeamService;
import dev.berth.platform.ui.MenuAudience;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.RolesAllowed;

/**
 * The single sign-on group rules, for platform admins: which provider group gets which role in
 * which team. A refused rule is shown on the field at fault, in the service's words;
 * {@link GroupRules} checks the rights again.
 */
@Route("sso-rules")
@Menu(title = "Single sign-on", order = 7.5, icon = "vaadin:sign-in")
@MenuAudience(Permission.MANAGE_SSO_RULES)
@PageTitle("Single sign-on · Berth")
@RolesAllowed("PLATFORM_ADMIN")
public class GroupRulesView extends VerticalLayout {
    private final transient GroupRules rules;
    private final transient CallerResolver callers;
    private final Grid<GroupRule> grid = new Grid<>();
    private final TextField group = new TextField("Group");
    private final ComboBox<String> team = new ComboBox<>("Team");
    private final Select<Role> role = new Select<>();
    private final Paragraph empty = new Paragraph("No rules yet: people who sign in through the provider get no team"
            + " until a rule or a team admin gives them one.");

    public GroupRulesView(GroupRules rules, TeamService teams, CallerResolver callers, SsoProperties sso) {
        this.rules = rules;
        this.callers = callers;
        setSizeFull();

        var heading = new H2("Single sign-on");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var status = new Paragraph(sso.configured()
                ? "People sign in with " + sso.displayName() + " (" + sso.issuerUri() + "). At every sign-in, the team"
                + " memberships these rules granted are set to what the rules say for the groups in the '" + sso.groupsClaim()
                + "' claim; memberships a person granted stay as they are."
                + (sso.localPasswords() ? "" : " Password sign-in is off, except for " + sso.breakGlassAdmin() + ".")
                : "Single sign-on is not configured (berth.sso.issuer-uri): these rules take effect once it is.");
        status.setId("sso-status");
        status.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL, LumoUtility.Margin.Top.NONE);

        group.setId("rule-group");
        group.setPlaceholder("payments-devs");
        group.setHelperText("As the provider's groups claim spells it");
        group.addValueChangeListener(e -> group.setInvalid(false));
        team.setId("rule-team");
        team.setItems(teams.list(callers.current()).stream().map(Team::name).toList());
        team.addValueChangeListener(e -> team.setInvalid(false));
        role.setId("rule-role");
        role.setLabel("Role");
        role.setItems(Role.values());
        role.setValue(Role.VIEWER);
        var add = new Button("Add rule", VaadinIcon.PLUS.create(), e -> add());
        add.setId("add-rule");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var form = new HorizontalLayout(group, team, role, add);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);

        grid.setId("rules-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.addColumn(GroupRule::group).setHeader("Group").setFlexGrow(2);
        grid.addColumn(GroupRule::team).setHeader("Team");
        grid.addColumn(GroupRule::role).setHeader("Role");
        grid.addColumn(GroupRule::createdBy).setHeader("Added by");
        grid.addColumn(r -> Timestamps.format(r.createdAt())).setHeader("Added (UTC)").setAutoWidth(true);
        grid.addComponentColumn(r -> {
            var delete = new Button("Delete", VaadinIcon.TRASH.create(), e -> delete(r));
            delete.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
            delete.setId("delete-rule-" + r.id());
            return delete;
        }).setHeader("").setAutoWidth(true).setFlexGrow(0);
        empty.setId("rules-empty");
        empty.addClassNames(LumoUtility.TextColor.SECONDARY);

        add(heading, status, form, empty, grid);
        reload();
    }

    private void reload() {
        try {
            var list = rules.list(callers.current());
            grid.setItems(list);
            grid.setVisible(!list.isEmpty());
            empty.setVisible(list.isEmpty());
        } catch (Problem p) {
            Notices.problem(p);
        }
    }

    private void add() {
        try {
            var rule = rules.create(callers.current(), group.getValue(), team.getValue(),
                    role.getValue() == null ? null : role.getValue().name(), RequestOrigin.current());
            Notices.done("Members of " + rule.group() + " get " + rule.role() + " in " + rule.team() + " from their next sign-in");
            group.clear();
            reload();
        } catch (Problem p) {
            // The service names the field at fault first ("group: ...", "team: ..."); the rest is a notice.
            String message = p.getMessage();
            if (message.startsWith("group: ")) {
                group.setErrorMessage(message.substring(7));
                group.setInvalid(true);
            } else if (message.startsWith("team: ")) {
                team.setErrorMessage(message.substring(6));
                team.setInvalid(true);
            } else {
                Notices.problem(p);
            }
        }
    }

    private void delete(GroupRule rule) {
        try {
            rules.delete(callers.current(), rule.id(), RequestOrigin.current());
            Notices.done("Rule " + rule.group() + " → " + rule.team() + " " + rule.role() + " deleted; its memberships go at"
                    + " each member's next sign-in");
            reload();
        } catch (Problem p) {
            Notices.problem(p);
        }
    }
}
