package dev.berth.platform.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import com.vaadin.flow.router.AfterNavigationEvent;
import com.vaadin.flow.router.AfterNavigationObserver;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.server.menu.MenuConfiguration;
import com.vaadin.flow.server.menu.MenuEntry;
import com.vaadin.flow.spring.security.AuthenticationContext;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.users.UserAccount;
import dev.berth.platform.users.UserAccounts;
import dev.berth.platform.users.UserService;
import jakarta.annotation.security.PermitAll;
import org.springframework.beans.factory.ObjectProvider;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The frame around every signed-in view: title, navigation and who is signed in. The navigation
 * lists the views that carry a {@code @Menu}, in its order, as far as Vaadin lets the caller open
 * them and their {@link MenuAudience} includes the caller; the frame knows no view by name. The
 * header shows what {@link Attention} beans say the caller should see, checked on every navigation.
 */
@Layout
@PermitAll
public class MainLayout extends AppLayout implements AfterNavigationObserver {
    private final transient CallerResolver callers;
    private final transient ObjectProvider<Attention> attention;
    private final SideNav nav = new SideNav();
    private final Div notices = new Div();
    private List<MenuEntry> shown = List.of();

    public MainLayout(CallerResolver callers, UserService users, UserAccounts accounts, AuthenticationContext authentication,
                      ObjectProvider<Attention> attention) {
        this.callers = callers;
        this.attention = attention;
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
        // An account made by a single sign-on has no password here to change.
        changePassword.setVisible(accounts.find(callers.current().userId()).map(UserAccount::hasPassword).orElse(true));
        var signOut = new Button("Sign out", VaadinIcon.SIGN_OUT.create(), e -> authentication.logout());
        signOut.setId("sign-out");
        signOut.addThemeVariants(ButtonVariant.LUMO_TERTIARY);

        var spacer = new Span();
        notices.setId("attention");
        notices.addClassNames(LumoUtility.Display.FLEX, LumoUtility.FlexDirection.COLUMN, LumoUtility.FontSize.SMALL,
                LumoUtility.TextColor.ERROR);
        var header = new HorizontalLayout(new DrawerToggle(), notices, spacer, user, changePassword, signOut);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.setFlexGrow(1, spacer);
        header.addClassNames(LumoUtility.Padding.End.MEDIUM);
        addToNavbar(header);
        // While attached only: a layout replaced by another leaves no listener behind on the UI.
        addAttachListener(e -> {
            var registration = ComponentUtil.addListener(e.getUI(), Attention.Changed.class,
                    changed -> showAttention(callers.current()));
            addDetachListener(d -> {
                registration.remove();
                d.unregisterListener();
            });
        });
    }

    /**
     * Checked on every navigation: admin rights and team roles may have changed since the last one.
     * Rebuilt only when the entries shown change, so a navigation does not resend the whole menu.
     */
    @Override
    public void afterNavigation(AfterNavigationEvent event) {
        var caller = callers.current();
        showAttention(caller);
        var entries = MenuConfiguration.getMenuEntries().stream().filter(e -> shownTo(caller, e.menuClass())).toList();
        if (entries.equals(shown)) return;
        shown = entries;
        nav.removeAll();
        for (MenuEntry entry : entries) {
            String path = entry.path().startsWith("/") ? entry.path().substring(1) : entry.path();
            var item = new SideNavItem(entry.title(), path, entry.icon() == null ? null : new Icon(entry.icon()));
            // A view also reached at another path (the teams view at the root) is highlighted there too.
            item.setPathAliases(Arrays.stream(entry.menuClass().getAnnotationsByType(RouteAlias.class))
                    .map(RouteAlias::value).collect(Collectors.toSet()));
            nav.addItem(item);
        }
    }

    /** At most {@value #ATTENTION_SHOWN} lines, then how many more: the header keeps room for the rest. */
    private void showAttention(Caller caller) {
        var items = attention.orderedStream().flatMap(a -> a.itemsFor(caller).stream()).toList();
        notices.removeAll();
        for (var item : items.stream().limit(ATTENTION_SHOWN).toList()) {
            var icon = VaadinIcon.WARNING.create();
            icon.setSize("var(--lumo-icon-size-s)");
            Component text = item.path() == null ? new Span(item.text()) : new Anchor(item.path(), item.text());
            var line = new Span(icon, text);
            line.setId(item.id());
            line.addClassNames(LumoUtility.Display.FLEX, LumoUtility.AlignItems.CENTER, LumoUtility.Gap.XSMALL);
            notices.add(line);
        }
        if (items.size() > ATTENTION_SHOWN) notices.add(new Span("and " + (items.size() - ATTENTION_SHOWN) + " more"));
    }

    private static final int ATTENTION_SHOWN = 2;

    static boolean shownTo(Caller caller, Class<? extends Component> view) {
        var audience = view.getAnnotation(MenuAudience.class);
        return audience == null
                || Arrays.stream(audience.value()).anyMatch(permission -> AccessPolicy.allowedSomewhere(caller, permission));
    }
}
