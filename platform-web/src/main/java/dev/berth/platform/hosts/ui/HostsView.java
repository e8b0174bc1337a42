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
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.hosts.Host;
import dev.berth.platform.hosts.HostService;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.security.RequestOrigin;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.PermitAll;
import java.util.stream.Collectors;

/** The hosts that joined: capacity, liveness, reported containers; and join tokens for new ones. Platform admins only. */
@Route("hosts")
@PageTitle("Hosts · Berth")
@PermitAll
public class HostsView extends VerticalLayout implements BeforeEnterObserver {
    private final transient HostService hosts;
    private final transient CallerResolver callers;
    private final Grid<Host> grid = new Grid<>();

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
            return state;
        }).setHeader("State").setAutoWidth(true);
        grid.addColumn(h -> (h.memoryBytes() >> 20) + " MiB, " + h.cpuMillis() / 1000.0 + " cpu").setHeader("Capacity").setAutoWidth(true);
        grid.addColumn(h -> h.lastHeartbeatAt() == null ? "never" : Timestamps.format(h.lastHeartbeatAt())).setHeader("Last heartbeat (UTC)");
        grid.addColumn(h -> h.containers().isEmpty() ? "none"
                : h.containers().stream().map(c -> c.name() + " (" + c.state() + ")").collect(Collectors.joining(", ")))
                .setHeader("Containers").setFlexGrow(2);
        grid.setEmptyStateText("No hosts yet. Create a join token with Join a host and run the command it shows on the host.");
        add(header, grid);
        setFlexGrow(1, grid);
        // Heartbeats arrive every few seconds: the list follows them without a reload.
        live.subscribe(this, change -> change.topic().startsWith("host:"), this::refresh);
    }

    private void refresh() {
        if (callers.current().platformAdmin()) grid.setItems(hosts.list(callers.current()));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!callers.current().platformAdmin()) {
            event.rerouteToError(com.vaadin.flow.router.NotFoundException.class);
            return;
        }
        grid.setItems(hosts.list(callers.current()));
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
