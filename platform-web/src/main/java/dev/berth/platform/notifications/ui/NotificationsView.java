package dev.berth.platform.notifications.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.notifications.Delivery;
import dev.berth.platform.notifications.NotificationEndpoint;
import dev.berth.platform.notifications.NotificationService;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.teams.Team;
import dev.berth.platform.teams.TeamService;
import dev.berth.platform.ui.MenuAudience;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Notices;
import jakarta.annotation.security.PermitAll;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A team's webhook endpoints: what each is told, whether it is paused and how its last delivery
 * went; add, edit and delete them, and open one's deliveries. Offered to team admins (who hold
 * MANAGE_NOTIFICATIONS); {@link NotificationService} checks the right again on every call.
 */
@Route("notifications")
@Menu(title = "Notifications", order = 4.5, icon = "vaadin:bell")
@MenuAudience(Permission.MANAGE_NOTIFICATIONS)
@PageTitle("Notifications · Berth")
@PermitAll
public class NotificationsView extends VerticalLayout implements BeforeEnterObserver {
    static final String EMPTY = "No endpoints yet — add one to hear about deploys, crash loops, lost hosts and failing"
            + " certificates.";

    private final transient NotificationService notifications;
    private final transient CallerResolver callers;
    private final ComboBox<String> team = new ComboBox<>("Team");
    private final Div paused = new Div();
    private final Grid<NotificationEndpoint> grid = new Grid<>();
    private final Paragraph empty = new Paragraph();
    private final Button add = new Button("Add endpoint", VaadinIcon.PLUS.create());
    private transient Map<Long, Delivery> latest = Map.of();

    public NotificationsView(NotificationService notifications, TeamService teams, CallerResolver callers) {
        this.notifications = notifications;
        this.callers = callers;
        setSizeFull();

        var heading = new H2("Notifications");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var caller = callers.current();
        team.setId("notifications-team");
        team.setItems(teams.list(caller).stream().map(Team::name).filter(t -> NotificationService.mayManage(caller, t)).toList());
        team.addValueChangeListener(e -> reload());
        add.setId("add-endpoint");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add.addClickListener(e -> openEditor(null));
        var header = new HorizontalLayout(heading, team, add);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.BASELINE);

        var intro = new Paragraph("Webhooks tell a chat or your own service when a deployment starts, succeeds, fails or"
                + " rolls back, a replica keeps crashing, a host is lost or a certificate cannot be renewed. Each request"
                + " is signed (X-Berth-Signature-256) and retried with backoff for a day; an endpoint that keeps failing"
                + " is paused until resumed here.");
        intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL, LumoUtility.Margin.Top.NONE);

        paused.setId("notifications-paused-banner");
        PausedBanner.style(paused);
        empty.setId("endpoints-empty");
        empty.addClassNames(LumoUtility.TextColor.SECONDARY);

        grid.setId("endpoints-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.setAllRowsVisible(true);
        // Widths that fit a 1400-pixel window beside the menu without scrolling; long values wrap.
        grid.addColumn(NotificationEndpoint::name).setHeader("Name").setWidth("7rem").setFlexGrow(1);
        grid.addComponentColumn(e -> Monospace.apply(new Span(host(e.url())))).setHeader("URL host").setAutoWidth(true);
        grid.addColumn(e -> EndpointLabels.format(e.format())).setHeader("Format").setWidth("8rem").setFlexGrow(0);
        grid.addColumn(e -> EndpointLabels.events(e.events())).setHeader("Events").setWidth("14rem").setFlexGrow(2);
        grid.addComponentColumn(this::state).setHeader("State").setWidth("9rem").setFlexGrow(0);
        grid.addColumn(e -> EndpointLabels.outcome(latest.get(e.id()))).setHeader("Last delivery").setWidth("11rem").setFlexGrow(1);
        grid.addComponentColumn(this::actions).setHeader("").setAutoWidth(true).setFlexGrow(0);

        add(header, intro, paused, empty, grid);
        team.getListDataView().getItems().findFirst().ifPresent(team::setValue);
        if (team.isEmpty()) reload();
    }

    /** {@code ?team=NAME} selects that team, as the paused-endpoint notice links it. */
    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        event.getLocation().getQueryParameters().getSingleParameter("team")
                .filter(t -> team.getListDataView().getItems().anyMatch(t::equals)).ifPresent(team::setValue);
    }

    void reload() {
        String selected = team.getValue();
        add.setEnabled(selected != null);
        if (selected == null) {
            display(List.of(), "You are not an admin of any team, so there are no notification endpoints to show.");
            return;
        }
        try {
            var caller = callers.current();
            latest = notifications.latestDeliveries(caller, selected);
            display(notifications.list(caller, selected), null);
        } catch (Problem p) {
            Notices.problem(p);
            display(List.of(), null);
        }
    }

    private void display(List<NotificationEndpoint> list, String why) {
        grid.setItems(list);
        grid.setVisible(!list.isEmpty());
        empty.setVisible(list.isEmpty());
        empty.setText(why != null ? why : EMPTY);
        var stopped = list.stream().filter(e -> e.pausedAt() != null).toList();
        PausedBanner.fill(paused, stopped.stream().map(e -> "Endpoint '" + e.name() + "' is paused: " + e.pausedReason()
                + ". Nothing is sent to it until it is resumed: open its deliveries (the list button).").toList());
    }

    private Component state(NotificationEndpoint e) {
        var badge = new Badge(e.pausedAt() != null ? "paused" : e.enabled() ? "active" : "disabled");
        badge.addThemeVariants(e.pausedAt() != null ? BadgeVariant.ERROR : e.enabled() ? BadgeVariant.SUCCESS : BadgeVariant.CONTRAST);
        badge.setId("state-" + EndpointLabels.idPart(e.name()));
        if (e.pausedAt() == null) return badge;
        var reason = new Span(e.pausedReason());
        reason.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.TextColor.SECONDARY);
        var both = new VerticalLayout(badge, reason);
        both.setPadding(false);
        both.setSpacing(false);
        return both;
    }

    private Component actions(NotificationEndpoint e) {
        var deliveries = new Button(VaadinIcon.LIST.create(), click -> openDeliveries(e));
        deliveries.setId("deliveries-" + EndpointLabels.idPart(e.name()));
        deliveries.setTooltipText("Deliveries, Send again, Resume");
        deliveries.setAriaLabel("Deliveries to " + e.name());
        var edit = new Button(VaadinIcon.EDIT.create(), click -> openEditor(e));
        edit.setId("edit-" + EndpointLabels.idPart(e.name()));
        edit.setTooltipText("Edit");
        edit.setAriaLabel("Edit " + e.name());
        var delete = new Button(VaadinIcon.TRASH.create(), click -> confirmDelete(e));
        delete.setTooltipText("Delete");
        delete.setAriaLabel("Delete " + e.name());
        delete.setId("delete-" + EndpointLabels.idPart(e.name()));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        for (var b : List.of(deliveries, edit, delete)) b.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        var buttons = new HorizontalLayout(deliveries, edit, delete);
        buttons.setSpacing(false);
        return buttons;
    }

    private void openEditor(NotificationEndpoint existing) {
        String selected = team.getValue();
        new EndpointDialog(existing, settings -> {
            var caller = callers.current();
            if (existing == null) {
                var created = notifications.create(caller, selected, settings, RequestOrigin.current());
                Notices.done("Endpoint '" + created.endpoint().name() + "' added to team " + selected);
                reload();
                new SigningSecretDialog(created.endpoint().name(), created.signingSecret()).open();
            } else {
                notifications.update(caller, selected, existing.id(), settings, RequestOrigin.current());
                Notices.done("Endpoint '" + settings.name() + "' saved");
                reload();
            }
        }).open();
    }

    private void openDeliveries(NotificationEndpoint e) {
        var dialog = new DeliveriesDialog(notifications, callers, team.getValue(), e.id());
        dialog.addOpenedChangeListener(o -> {
            if (!o.isOpened()) reload();
        });
        dialog.open();
    }

    private void confirmDelete(NotificationEndpoint e) {
        var confirm = new ConfirmDialog("Delete endpoint '" + e.name() + "'?",
                "It is told of nothing more, and its deliveries are deleted with it. This cannot be undone.", "Delete",
                click -> delete(e));
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.setId("confirm-delete-endpoint");
        confirm.open();
    }

    private void delete(NotificationEndpoint e) {
        try {
            notifications.delete(callers.current(), team.getValue(), e.id(), RequestOrigin.current());
            Notices.done("Endpoint '" + e.name() + "' deleted");
        } catch (Problem p) {
            Notices.problem(p);
        }
        reload();
    }

    private static String host(String url) {
        var uri = URI.create(url);
        return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }
}
