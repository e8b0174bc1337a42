package dev.berth.platform.users.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.Permission;
import dev.berth.platform.ui.MenuAudience;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import dev.berth.platform.users.UserService;
import dev.berth.platform.users.UserSummary;
import jakarta.annotation.security.RolesAllowed;

/** Every user account; platform admins create new ones here. */
@Route("users")
@Menu(title = "Users", order = 7, icon = "vaadin:user-card")
@MenuAudience(Permission.MANAGE_USERS)
@PageTitle("Users · Berth")
@RolesAllowed("PLATFORM_ADMIN")
public class UsersView extends VerticalLayout {
    private final transient UserService users;
    private final transient CallerResolver callers;
    private final Grid<UserSummary> grid = new Grid<>();

    public UsersView(UserService users, CallerResolver callers) {
        this.users = users;
        this.callers = callers;
        setSizeFull();

        var heading = new H2("Users");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var newUser = new Button("New user", VaadinIcon.PLUS.create(), e -> openNewUser());
        newUser.setId("new-user");
        newUser.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var header = new HorizontalLayout(heading, newUser);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);

        grid.setId("users-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(UserSummary::username).setHeader("Username").setFlexGrow(2);
        grid.addComponentColumn(u -> u.platformAdmin() ? badge("yes", BadgeVariant.CONTRAST) : new Span())
                .setHeader("Platform admin");
        grid.addComponentColumn(u -> u.locked() ? badge("locked", BadgeVariant.ERROR) : new Span())
                .setHeader("Locked");
        grid.addColumn(u -> Timestamps.format(u.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        grid.setEmptyStateText("No users.");

        add(header, grid);
        setFlexGrow(1, grid);
        reload();
    }

    private void reload() {
        try {
            grid.setItems(users.list(callers.current()));
        } catch (Problem p) {
            Notices.problem(p);
        }
    }

    private static Component badge(String text, BadgeVariant variant) {
        var badge = new Badge(text);
        badge.addThemeVariants(variant);
        return badge;
    }

    private void openNewUser() {
        var dialog = new NewUserDialog();
        dialog.addCreateListener(e -> {
            try {
                var user = users.create(callers.current(), e.username(), e.password(), e.platformAdmin(),
                        RequestOrigin.current());
                dialog.close();
                Notices.done("User " + user.username() + " created");
                reload();
            } catch (Problem p) {
                Notices.problem(p);
            }
        });
        dialog.open();
    }
}
