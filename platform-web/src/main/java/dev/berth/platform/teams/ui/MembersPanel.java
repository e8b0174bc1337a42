package dev.berth.platform.teams.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.select.SelectVariant;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.teams.Member;
import dev.berth.platform.access.Role;
import dev.berth.platform.teams.TeamService;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.users.UserService;

/**
 * The members of the selected team. Admins of the team (platform admins included) also get a role
 * selector per member, a remove button and the add form; the service checks the rights again.
 */
class MembersPanel extends VerticalLayout {
    private final transient TeamService teams;
    private final transient UserService users;
    private final transient CallerResolver callers;
    private final Runnable onChange;
    private final H3 title = new H3();
    private final Paragraph hint = new Paragraph("Select a team to see its members.");
    private final Grid<Member> grid = new Grid<>();
    private final Grid.Column<Member> actions;
    private final MemberForm form = new MemberForm();
    private String team;
    private boolean canManage;

    MembersPanel(TeamService teams, UserService users, CallerResolver callers, Runnable onChange) {
        this.teams = teams;
        this.users = users;
        this.callers = callers;
        this.onChange = onChange;
        setPadding(false);

        grid.setId("members-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(Member::username).setHeader("Username").setFlexGrow(2);
        grid.addComponentColumn(this::roleCell).setHeader("Role").setFlexGrow(1);
        actions = grid.addComponentColumn(this::removeButton).setHeader("").setFlexGrow(0).setWidth("5rem");
        grid.setEmptyStateText("This team has no members.");
        grid.setAllRowsVisible(true);
        form.addAddListener(e -> save(e.username(), e.role(), true));

        title.addClassNames(LumoUtility.Margin.Top.NONE);
        hint.addClassNames(LumoUtility.TextColor.SECONDARY);
        show(null);
        add(title, hint, grid, form);
    }

    /** Shows the members of {@code team}, or a hint when none is selected. */
    void show(String team) {
        this.team = team;
        boolean selected = team != null;
        title.setVisible(selected);
        hint.setVisible(!selected);
        grid.setVisible(selected);
        form.setVisible(false);
        if (!selected) return;
        title.setText("Members of " + team);
        canManage = callers.current().hasRole(team, Role.ADMIN);
        actions.setVisible(canManage);
        form.setVisible(canManage);
        if (canManage) form.setUsernames(users.usernames());
        reload();
    }

    private void reload() {
        try {
            grid.setItems(teams.members(callers.current(), team));
        } catch (Problem p) {
            Notices.problem(p);
            grid.setItems();
        }
    }

    private Component roleCell(Member member) {
        if (!canManage) return new Span(member.role().name());
        var select = new Select<Role>();
        select.setItems(Role.values());
        select.setValue(member.role());
        select.setId("role-" + member.username());
        select.setAriaLabel("Role of " + member.username());
        select.addThemeVariants(SelectVariant.LUMO_SMALL);
        select.addValueChangeListener(e -> {
            if (e.isFromClient()) save(member.username(), e.getValue(), false);
        });
        return select;
    }

    private Component removeButton(Member member) {
        var remove = new Button(VaadinIcon.TRASH.create(), e -> confirmRemove(member));
        remove.setId("remove-" + member.username());
        remove.setAriaLabel("Remove " + member.username());
        remove.setTooltipText("Remove from team");
        remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        return remove;
    }

    /** Adds a member or changes a role: the service does either. */
    private void save(String username, Role role, boolean adding) {
        try {
            teams.setMember(callers.current(), team, username, role, RequestOrigin.current());
            Notices.done(adding ? username + " was added as " + role : username + " is now " + role);
            if (adding) form.clear();
            changed();
        } catch (Problem p) {
            Notices.problem(p);
            reload(); // puts a refused role selector back to the stored role
        }
    }

    private void confirmRemove(Member member) {
        var confirm = new ConfirmDialog("Remove " + member.username() + "?",
                member.username() + " loses access to team " + team + ".", "Remove", e -> remove(member.username()));
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.open();
    }

    private void remove(String username) {
        try {
            teams.removeMember(callers.current(), team, username, RequestOrigin.current());
            Notices.done(username + " was removed from " + team);
            changed();
        } catch (Problem p) {
            Notices.problem(p);
        }
    }

    private void changed() {
        reload();
        onChange.run();
    }
}
