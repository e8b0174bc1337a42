package dev.berth.platform.notifications.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.notifications.Delivery;
import dev.berth.platform.notifications.NotificationEndpoint;
import dev.berth.platform.notifications.NotificationService;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.ui.Attention;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import java.util.List;

/**
 * An endpoint's newest deliveries, newest first, refreshed every few seconds while open: what was
 * sent, how often, what the receiver answered and when the next try is. "Send again" owes a
 * delivery's event anew; "Resume" lets a paused endpoint receive again.
 */
class DeliveriesDialog extends Dialog {
    private static final int REFRESH_MILLIS = 2000;

    private final transient NotificationService notifications;
    private final transient CallerResolver callers;
    private final String team;
    private final long endpointId;
    private final Div paused = new Div();
    private final Button resume = new Button("Resume", VaadinIcon.PLAY.create());
    private final Grid<Delivery> grid = new Grid<>();
    private final Paragraph empty = new Paragraph("Nothing sent to this endpoint yet: deliveries appear here when one of"
            + " its events happens.");
    private Registration polling;
    private int pollIntervalBefore = -1;

    DeliveriesDialog(NotificationService notifications, CallerResolver callers, String team, long endpointId) {
        this.notifications = notifications;
        this.callers = callers;
        this.team = team;
        this.endpointId = endpointId;
        setId("deliveries-dialog");
        setWidth("min(90vw, 72rem)");

        PausedBanner.style(paused);
        paused.setId("endpoint-paused");
        resume.setId("resume-endpoint");
        resume.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        resume.addClickListener(e -> resume());
        empty.setId("deliveries-empty");
        empty.addClassNames(LumoUtility.TextColor.SECONDARY);

        grid.setId("deliveries-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.setAllRowsVisible(true);
        grid.addColumn(Delivery::event).setHeader("Event").setAutoWidth(true);
        grid.addColumn(d -> Timestamps.format(d.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        grid.addColumn(Delivery::attempts).setHeader("Attempts").setAutoWidth(true);
        grid.addComponentColumn(this::status).setHeader("Status").setWidth("8rem").setFlexGrow(0);
        grid.addComponentColumn(d -> {
            var code = new Span(d.responseCode() == null ? "—" : d.responseCode().toString());
            code.setId("delivery-code-" + d.id());
            return code;
        }).setHeader("Code").setAutoWidth(true);
        grid.addColumn(EndpointLabels::excerpt).setHeader("Response").setFlexGrow(2);
        grid.addColumn(d -> d.nextAttemptAt() == null ? "" : Timestamps.format(d.nextAttemptAt())).setHeader("Next try (UTC)")
                .setAutoWidth(true);
        grid.addComponentColumn(this::resendButton).setHeader("").setAutoWidth(true).setFlexGrow(0);

        add(paused, resume, empty, grid);
        var close = new Button("Close", e -> close());
        close.setId("deliveries-close");
        getFooter().add(close);
        refresh();
    }

    private void refresh() {
        try {
            var caller = callers.current();
            NotificationEndpoint endpoint = notifications.get(caller, team, endpointId);
            setHeaderTitle("Deliveries to '" + endpoint.name() + "'");
            PausedBanner.fill(paused, endpoint.pausedAt() == null ? List.of() : List.of("Paused since "
                    + Timestamps.format(endpoint.pausedAt()) + " UTC: " + endpoint.pausedReason() + ". Nothing is sent"
                    + " until it is resumed; deliveries owed for over a day are then given up."));
            resume.setVisible(endpoint.pausedAt() != null);
            var list = notifications.deliveries(caller, team, endpointId);
            grid.setItems(list);
            grid.setVisible(!list.isEmpty());
            empty.setVisible(list.isEmpty());
        } catch (Problem p) {
            Notices.problem(p);
            close();
        }
    }

    private Component status(Delivery d) {
        var badge = new Badge(d.status().name().toLowerCase(java.util.Locale.ROOT));
        badge.addThemeVariants(switch (d.status()) {
            case DELIVERED -> BadgeVariant.SUCCESS;
            case PENDING -> BadgeVariant.WARNING;
            case FAILED -> BadgeVariant.ERROR;
        });
        badge.setId("delivery-status-" + d.id());
        return badge;
    }

    private Component resendButton(Delivery d) {
        var again = new Button("Send again", VaadinIcon.REFRESH.create(), e -> resend(d));
        again.setId("resend-" + d.id());
        again.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        return again;
    }

    private void resend(Delivery d) {
        try {
            var fresh = notifications.resend(callers.current(), team, endpointId, d.id(), RequestOrigin.current());
            Notices.done("Sending " + d.event() + " again (delivery " + fresh.id() + ")");
        } catch (Problem p) {
            Notices.problem(p);
        }
        refresh();
    }

    private void resume() {
        try {
            var endpoint = notifications.resume(callers.current(), team, endpointId, RequestOrigin.current());
            Notices.done("Endpoint '" + endpoint.name() + "' resumed");
            Attention.changed();
        } catch (Problem p) {
            Notices.problem(p);
        }
        refresh();
    }

    @Override
    protected void onAttach(AttachEvent event) {
        super.onAttach(event);
        var ui = event.getUI();
        pollIntervalBefore = ui.getPollInterval();
        ui.setPollInterval(REFRESH_MILLIS);
        polling = ui.addPollListener(e -> {
            if (isOpened()) refresh();
        });
    }

    @Override
    protected void onDetach(DetachEvent event) {
        if (polling != null) polling.remove();
        event.getUI().setPollInterval(pollIntervalBefore);
        super.onDetach(event);
    }
}
