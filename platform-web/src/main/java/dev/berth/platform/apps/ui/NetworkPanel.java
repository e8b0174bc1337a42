package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.ColumnTextAlign;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.apps.AppNetwork;
import dev.berth.platform.apps.AppService;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import java.util.stream.Collectors;

/**
 * What an app may reach (its current revision's egress, egressTo and connects) and what the
 * firewalls refused its containers, with the next step for each: a team sees why its app cannot
 * reach its database without asking an operator.
 */
class NetworkPanel extends VerticalLayout {
    static final String NOTHING_REFUSED = "Nothing refused: no container of this app tried to reach what it may not.";
    private final transient AppService apps;
    private final transient CallerResolver callers;
    private final UnorderedList reach = new UnorderedList();
    private final Grid<AppNetwork.Refused> refused = new Grid<>();
    private String team;
    private String app;

    NetworkPanel(AppService apps, CallerResolver callers) {
        this.apps = apps;
        this.callers = callers;
        setPadding(false);
        setId("app-network");
        var mayReach = new H3("May reach");
        mayReach.addClassNames(LumoUtility.Margin.Bottom.XSMALL, LumoUtility.FontSize.MEDIUM);
        reach.setId("network-reach");
        reach.addClassNames(LumoUtility.Margin.Top.NONE);

        var refusedTitle = new H3("Refused by the firewall");
        refusedTitle.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.MEDIUM);
        var reload = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> reload());
        reload.setId("network-refresh");
        reload.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        var heading = new HorizontalLayout(refusedTitle, reload);
        heading.setAlignItems(FlexComponent.Alignment.CENTER);
        var explanation = new Paragraph("Packets the agents' firewalls dropped, counted per destination across this app's"
                + " replicas; the counts start again when a replica is replaced.");
        explanation.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL, LumoUtility.Margin.Top.NONE);

        refused.setId("refused-grid");
        // The hint is what a team reads the grid for: it takes the room left and wraps rather than being cut.
        refused.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        refused.addColumn(NetworkPanel::where).setHeader("Destination").setAutoWidth(true).setFlexGrow(0);
        refused.addColumn(AppNetwork.Refused::protocol).setHeader("Protocol").setAutoWidth(true).setFlexGrow(0);
        refused.addColumn(AppNetwork.Refused::count).setHeader("Packets").setAutoWidth(true).setFlexGrow(0)
                .setTextAlign(ColumnTextAlign.END);
        refused.addColumn(r -> Timestamps.format(r.lastSeen())).setHeader("Last seen (UTC)").setAutoWidth(true)
                .setFlexGrow(0);
        refused.addColumn(r -> r.hint() == null ? "" : r.hint()).setHeader("What to do").setFlexGrow(1);
        refused.setEmptyStateText(NOTHING_REFUSED);
        refused.setAllRowsVisible(true);
        add(mayReach, reach, heading, explanation, refused);
    }

    void show(String team, String app) {
        this.team = team;
        this.app = app;
        reload();
    }

    void reload() {
        try {
            display(apps.network(callers.current(), team, app));
        } catch (Problem p) {
            Notices.problem(p);
        }
    }

    private void display(AppNetwork network) {
        reach.removeAll();
        reach.add(item("network-egress", "egress", network.egress(), network.egress().equals("public")
                ? "the public internet, no private address" : "no address outside the platform"));
        reach.add(item("network-egress-to", "egressTo", network.egressTo().stream()
                .map(d -> d.cidr() + (d.port() == 0 ? "" : " port " + d.port())).collect(Collectors.joining(", ")),
                network.egressTo().isEmpty() ? "no private destination" : null));
        reach.add(item("network-connects", "connects", network.connects().stream()
                .map(c -> c.app() + "/" + c.port() + " on 127.0.0.1:" + c.local()).collect(Collectors.joining(", ")),
                network.connects().isEmpty() ? "no other app of the team" : null));
        refused.setItems(network.refused());
    }

    /** {@code key: value — meaning}, the key and value as berth.yaml spells them. */
    private static ListItem item(String id, String key, String value, String meaning) {
        var item = new ListItem(new Span(key + ": "));
        if (!value.isEmpty()) item.add(Monospace.apply(new Span(value)));
        if (meaning != null) item.add(new Span((value.isEmpty() ? "" : " — ") + meaning));
        item.setId(id);
        return item;
    }

    /** {@code 203.0.113.9:5432}, {@code [2001:db8::5]:443}, or the address alone where the protocol has no port. */
    static String where(AppNetwork.Refused r) {
        if (r.port() == 0) return r.destination();
        return (r.destination().contains(":") ? "[" + r.destination() + "]" : r.destination()) + ":" + r.port();
    }
}
