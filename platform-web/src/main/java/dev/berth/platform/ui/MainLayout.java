package dev.berth.platform.ui;

import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.apps.ui.AppsView;
import dev.berth.platform.audit.AuditService;
import dev.berth.platform.audit.ui.AuditView;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.hosts.ui.HostsView;
import dev.berth.platform.repositories.ui.RepositoriesView;
import dev.berth.platform.teams.ui.TeamsView;
import dev.berth.platform.tokens.ui.TokensView;
import dev.berth.platform.users.UserService;
import dev.berth.platform.users.ui.ChangePasswordDialog;
import dev.berth.platform.users.ui.UsersView;
import jakarta.annotation.security.PermitAll;
import java.util.Set;

/** The frame around every signed-in view: title, navigation and who is signed in. */
@Layout
@PermitAll
public class MainLayout extends AppLayout implements AfterNavigationObserver {
    private final transient CallerResolver callers;
    private final transient AuditService audit;
    private final SideNav nav = new SideNav();

    public MainLayout(CallerResolver callers, AuditService audit, UserService users, AuthenticationContext authentication) {
        this.callers = callers;
        this.audit = audit;
        setPrimarySection(Section.DRAWER);

        var title = new Span("Berth");
        title.addClassNames(LumoUtility.FontSize.XLARGE, LumoUtility.FontWeight.SEMIBOLD, LumoUtility.Padding.MEDIUM);
        var scroller = new Scroller(nav, Scroller.ScrollDirection.VERTICAL);
        scroller.addClassNames(LumoUtility.Padding.SMALL);
        addToDrawer(title, scroller);

        var user = new Span(VaadinIcon.USER.create(), new Span(authentication.getPrincipalName().orElse("")));
        user.setId("signed-in-user");
        user.addClassNames(LumoUtility.Display.FLEX, LumoUtility.AlignItems.CENTER, LumoUtility.Gap.XSMALL,
                LumoUtility.TextColor.SECONDARY);
        var changePassword = new Button("Change password", VaadinIcon.PASSWORD.create(),
                e -> new ChangePasswordDialog(users, callers).open());
        changePassword.setId("change-password");
        changePassword.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        var signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), e -> authentication.logout());
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);

        var spacer = new Span();
        var header = new HorizontalLayout(new DrawerToggle(), spacer, user, changePassword, signOut);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.setFlexGrow(1, spacer);
        header.addClassNames(LumoUtility.Padding.End.MEDIUM);
        addToNavbar(header);
    }

    /** Rebuilt on every navigation: admin rights and team roles may have changed since the last one. */
    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        var caller = callers.current();
        nav.removeAll();
        nav.addItem(new SideNavItem("Apps", AppsView.class, VaadinIcon.CUBES.create()));
        var teams = new SideNavItem("Teams", TeamsView.class, VaadinIcon.USERS.create());
        teams.setPathAliases(Set.of(""));
        nav.addItem(teams);
        nav.addItem(new SideNavItem("Repositories", RepositoriesView.class, VaadinIcon.CODE.create()));
        nav.addItem(new SideNavItem("Tokens", TokensView.class, VaadinIcon.KEY.create()));
        if (audit.canRead(caller)) nav.addItem(new SideNavItem("Audit", AuditView.class, VaadinIcon.LIST.create()));
        if (caller.platformAdmin()) nav.addItem(new SideNavItem("Hosts", HostsView.class, VaadinIcon.SERVER.create()));
        if (caller.platformAdmin()) nav.addItem(new SideNavItem("Users", UsersView.class, VaadinIcon.USER_CARD.create()));
    }
}
