package dev.berth.platform.hosts.ui;

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
import com.vaadin.flow.data.provider.ListDataProvider;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.Permission;
import dev.berth.platform.ui.MenuAudience;
import dev.berth.platform.hosts.Host;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.PermitAll;
import java.util.stream.Collectors;

/**
 * The hosts that joined: capacity, liveness, drain, reported containers; join tokens for new ones,
 * and draining or removing a host, each confirmed in a dialog. Platform admins only.
 */
@Route("hosts")
@Menu(title = "Hosts", order = 6, icon = "vaadin:server")
@MenuAudience(Permission.VIEW_HOSTS)
@PageTitle("Hosts · Berth")
@PermitAll
public class HostsView extends VerticalLayout implements BeforeEnterObserver {
    private final transient HostService hosts;
    private final transient CallerResolver callers;
    private final Grid<Host> grid = new Grid<>();
    private final java.util.List<Host> items = new java.util.ArrayList<>();
    /** Rows keyed by host id. */
    private final ListDataProvider<Host> rows = new ListDataProvider<>(items) {
        @Override
        public Object getId(Host host) {
            return host.id();
        }
    };

    public HostsView(HostService hosts, CallerResolver callers, dev.berth.platform.ui.LiveUpdates live) {
        this.hosts = hosts;
        this.callers = callers;
        setSizeFull();
        var heading = new H2("Hosts");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var join = new Button("Join a host", VaadinIcon.PLUS.create(), e -> createJoinToken());
        join.setId("new-join-token");
        join.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var header = new HorizontalLayout(heading, join);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);

        grid.setId("hosts-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(Host::hostname).setHeader("Host").setFlexGrow(1);
        grid.addColumn(Host::id).setHeader("Id").setAutoWidth(true);
        grid.addComponentColumn(h -> {
            var state = new Span(h.alive() ? "alive" : "silent");
            state.getElement().getThemeList().add(h.alive() ? "badge success" : "badge error");
            var badges = new HorizontalLayout(state);
            badges.setSpacing(false);
            badges.addClassNames(LumoUtility.Gap.XSMALL);
            if (h.draining()) {
                var drain = new Span("draining");
                drain.setId("draining-" + h.id());
                drain.getElement().getThemeList().add("badge contrast");
                drain.getElement().setAttribute("title", "since " + Timestamps.format(h.drain().since()) + " UTC, by " + h.drain().by());
                badges.add(drain);
            }
            if (h.edge() != null) {
                var edge = new Span(h.edge().error() != null ? "edge failing" : "edge");
                edge.setId("edge-" + h.id());
                edge.getElement().getThemeList().add(h.edge().error() != null ? "badge error" : "badge");
                edge.getElement().setAttribute("title", h.edge().error() != null ? h.edge().error()
                        : "serves every route at " + h.edge().address() + (h.edge().current() ? "" : "; the newest routes are on their way"));
                badges.add(edge);
            }
            return badges;
        }).setHeader("State").setWidth("12rem").setFlexGrow(0); // room for "draining", which comes later
        grid.addColumn(HostsView::capacity).setHeader("Capacity").setAutoWidth(true);
        grid.addColumn(h -> h.lastHeartbeatAt() == null ? "never" : Timestamps.format(h.lastHeartbeatAt())).setHeader("Last heartbeat (UTC)");
        grid.addColumn(h -> h.containers().isEmpty() ? "none"
                : h.containers().stream().map(c -> c.name() + " (" + c.state() + ")").collect(Collectors.joining(", ")))
                .setHeader("Containers").setFlexGrow(2);
        // Rendered in the browser and bound to the host's id, not as server components: heartbeats
        // refresh the rows every few seconds, and a click must not be lost to a row drawn anew.
        grid.addColumn(LitRenderer.<Host>of("""
                        <div style="display: flex; gap: var(--lumo-space-s)">
                          <vaadin-button theme="small" id="${item.drainId}" @click="${drain}">${item.drainLabel}</vaadin-button>
                          <vaadin-button theme="small error" id="${item.removeId}" @click="${remove}">Remove</vaadin-button>
                        </div>""")
                        .withProperty("drainId", h -> (h.draining() ? "undrain-" : "drain-") + h.id())
                        .withProperty("drainLabel", h -> h.draining() ? "Undrain" : "Drain")
                        .withProperty("removeId", h -> "remove-" + h.id())
                        .withFunction("drain", h -> confirm(h.draining() ? HostActionDialog.Action.UNDRAIN
                                : HostActionDialog.Action.DRAIN, h))
                        .withFunction("remove", h -> confirm(HostActionDialog.Action.REMOVE, h)))
                .setHeader("Actions").setWidth("13rem").setFlexGrow(0);
        grid.setItems(rows);
        grid.setEmptyStateText("No hosts yet. Create a join token with Join a host and run the command it shows on the host.");
        add(header, grid);
        setFlexGrow(1, grid);
        // Heartbeats arrive every few seconds: the list follows them without a reload.
        live.subscribe(this, change -> change.topic().startsWith("host:"), this::refresh);
    }

    private void refresh() {
        if (callers.current().platformAdmin()) show(hosts.list(callers.current()));
    }

    /** Replaces the rows in place: each host keeps its row key, so a click on a row drawn anew still finds it. */
    private void show(java.util.List<Host> current) {
        items.clear();
        items.addAll(current);
        rows.refreshAll();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!callers.current().platformAdmin()) {
            event.rerouteToError(com.vaadin.flow.router.NotFoundException.class);
            return;
        }
        show(hosts.list(callers.current()));
    }

    /** What placement counts with; what the agent claims beyond its registered capacity is shown, not counted. */
    static String capacity(Host h) {
        String counted = (h.memoryBytes() >> 20) + " MiB, " + h.cpuMillis() / 1000.0 + " cpu";
        boolean capped = h.reported().memoryBytes() > h.cap().memoryBytes() || h.reported().cpuMillis() > h.cap().cpuMillis();
        return capped ? counted + " (reports " + (h.reported().memoryBytes() >> 20) + " MiB, " + h.reported().cpuMillis() / 1000.0
                + " cpu; capped at what it registered)" : counted;
    }

    private void confirm(HostActionDialog.Action action, Host h) {
        new HostActionDialog(action, h, reason -> {
            try {
                var caller = callers.current();
                var origin = RequestOrigin.current();
                switch (action) {
                    case DRAIN -> hosts.drain(caller, h.id(), reason, origin);
                    case UNDRAIN -> hosts.undrain(caller, h.id(), reason, origin);
                    case REMOVE -> hosts.remove(caller, h.id(), reason, origin);
                }
                Notices.done(switch (action) {
                    case DRAIN -> h.hostname() + " drains: its replicas move to other hosts";
                    case UNDRAIN -> h.hostname() + " takes new replicas again";
                    case REMOVE -> h.hostname() + " was removed; its agent's credential no longer works";
                });
            } catch (Problem p) {
                Notices.problem(p);
            }
            refresh();
        }).open();
    }

    private void createJoinToken() {
        try {
            var issued = hosts.createJoinToken(callers.current(), null, RequestOrigin.current());
            String platform = com.vaadin.flow.server.VaadinServletRequest.getCurrent() == null ? ""
                    : org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
            new JoinTokenDialog(issued, platform).open();
        } catch (Problem p) {
            Notices.problem(p);
        }
    }
}
