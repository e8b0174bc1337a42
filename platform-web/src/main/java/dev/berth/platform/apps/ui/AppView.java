package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.function.SerializableConsumer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.apps.AppDetail;
import dev.berth.platform.apps.AppService;
import dev.berth.platform.apps.ReplicaView;
import dev.berth.platform.metrics.AppMetricsService;
import dev.berth.platform.deployments.Deployment;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.repositories.RepositoryService;
import dev.berth.platform.secrets.AppSecrets;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.access.Caller;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.ui.LiveUpdates;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One app: its state and revision, desired versus live, the deployment timeline with live progress,
 * replicas with their isolation report, resource and request charts, logs, secrets (names only), what it may reach and was
 * refused, its host names with their certificates, and rollback with confirmation.
 */
@Route("apps/:team/:app")
@PermitAll
public class AppView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {
    private final transient AppService apps;
    private final transient RepositoryService repositories;
    private final transient CallerResolver callers;
    private final transient LiveUpdates live;
    private final H2 title = new H2();
    private final Span state = new Span();
    private final Span revision = new Span();
    private final Button rollback = new Button("Roll back…", VaadinIcon.ARROW_BACKWARD.create(), e -> openRollback());
    private final Div differences = new Div();
    private final Grid<Deployment> timeline = new Grid<>();
    private final Grid<ReplicaView> replicas = new Grid<>();
    private final LazyPanel<SecretsPanel> secretsPanel;
    private final LazyPanel<NetworkPanel> networkPanel;
    private final LazyPanel<RoutesPanel> routesPanel = new LazyPanel<>(RoutesPanel::new);
    private final LazyPanel<LogPanel> logPanel;
    private final LazyPanel<MetricsPanel> metricsPanel;
    private final TabSheet tabs = new TabSheet();
    /** What fills each tab, and the tabs filled since {@link #detail} was read. */
    private final Map<Tab, SerializableConsumer<Caller>> fillers = new HashMap<>();
    private final Set<Tab> filled = new HashSet<>();
    private String team;
    private String app;
    private AppDetail detail;
    private com.vaadin.flow.shared.Registration following;

    public AppView(AppService apps, RepositoryService repositories, AppSecrets secrets, CallerResolver callers,
                   LiveUpdates live, dev.berth.platform.logs.ContainerLogs logs, dev.berth.platform.traffic.EdgeTraffic traffic,
                   AppMetricsService metrics, Clock clock) {
        this.apps = apps;
        this.repositories = repositories;
        this.callers = callers;
        this.live = live;
        setSizeFull();
        title.setId("app-title");
        title.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        state.setId("app-state");
        revision.setId("app-revision");
        revision.addClassNames(LumoUtility.TextColor.SECONDARY);
        rollback.setId("rollback-open");
        var header = new HorizontalLayout(title, state, revision, rollback);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.expand(revision);
        differences.setId("app-differences");

        timeline.setId("deployments-grid");
        timeline.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        timeline.addColumn(d -> Timestamps.format(d.startedAt())).setHeader("Started (UTC)").setAutoWidth(true);
        timeline.addColumn(d -> "#" + d.revision()).setHeader("Revision").setAutoWidth(true);
        timeline.addColumn(d -> d.kind().value()).setHeader("Kind").setAutoWidth(true);
        timeline.addColumn(DeploymentBadges.column(DeploymentBadges::state)).setHeader("State").setAutoWidth(true);
        timeline.addColumn(Deployment::createdBy).setHeader("By").setAutoWidth(true);
        timeline.addColumn(AppView::whatHappened).setHeader("What happened").setFlexGrow(1)
                .setTooltipGenerator(AppView::whatHappened);

        replicas.setId("replicas-grid");
        replicas.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        replicas.addColumn(ReplicaView::id).setHeader("Replica").setAutoWidth(true);
        replicas.addColumn(r -> r.hostname() + (r.hostAlive() ? "" : " (silent)")).setHeader("Host").setAutoWidth(true);
        replicas.addColumn(r -> "#" + r.revision()).setHeader("Revision").setAutoWidth(true);
        replicas.addColumn(DeploymentBadges.column(r -> DeploymentBadges.replicaState(r.state()))).setHeader("State").setAutoWidth(true);
        replicas.addColumn(r -> r.published().stream().map(p -> p.address() + (p.serving() ? "" : " (not serving)"))
                .collect(Collectors.joining(", "))).setHeader("Published").setAutoWidth(true);
        replicas.addColumn(ReplicaView::restarts).setHeader("Restarts").setAutoWidth(true);
        replicas.addComponentColumn(r -> {
            var show = new Button("Isolation", e -> new IsolationDialog(apps.isolation(callers.current(), team, app, r.id())).open());
            show.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
            show.setId("isolation-" + r.id());
            return show;
        }).setHeader("Isolation report").setAutoWidth(true);
        replicas.setEmptyStateText("No replicas assigned.");

        logPanel = new LazyPanel<>(() -> new LogPanel(logs, callers, live, traffic));
        secretsPanel = new LazyPanel<>(() -> new SecretsPanel(secrets, callers));
        networkPanel = new LazyPanel<>(() -> new NetworkPanel(apps, callers));
        metricsPanel = new LazyPanel<>(() -> new MetricsPanel(metrics, traffic, callers, live, clock));
        tabs.setId("app-tabs");
        // A tab's data is read when the tab is first shown for this app, not on every navigation, and
        // its panel built then: most visits look at the first tab only.
        fillers.put(tabs.add("Deployments", timeline), caller -> timeline.setItems(apps.deployments(caller, team, app, 50)));
        fillers.put(tabs.add("Replicas", replicas), caller -> replicas.setItems(detail.replicas()));
        var metricsTab = tabs.add("Metrics", metricsPanel);
        fillers.put(metricsTab, caller -> metricsPanel.get().show(team, app, detail.replicas(), !detail.routes().isEmpty()));
        fillers.put(tabs.add("Logs", logPanel), caller -> {
            logPanel.get().show(team, app);
            logPanel.get().replicas(detail.replicas());
        });
        fillers.put(tabs.add("Secrets", secretsPanel), caller -> secretsPanel.get().show(team, app));
        fillers.put(tabs.add("Network", networkPanel), caller -> networkPanel.get().show(team, app));
        fillers.put(tabs.add("Routes", routesPanel), caller -> routesPanel.get().show(detail.routes()));
        tabs.addSelectedChangeListener(e -> {
            // The charts follow new samples only while they are in view.
            if (metricsPanel.built()) metricsPanel.get().active(tabs.getSelectedTab() == metricsTab);
            if (!filled.contains(tabs.getSelectedTab())) fillSelected(callers.current());
        });
        tabs.setSizeFull();
        add(header, differences, tabs);
        setFlexGrow(1, tabs);
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        team = event.getRouteParameters().get("team").orElse("");
        app = event.getRouteParameters().get("app").orElse("");
        // Only the app itself decides "not found": a panel's problem must not pass for a missing page.
        var caller = callers.current();
        try {
            detail = apps.get(caller, team, app);
        } catch (Problem.NotFound | Problem.Forbidden p) {
            event.rerouteToError(com.vaadin.flow.router.NotFoundException.class);
            return;
        }
        boolean deployer = AccessPolicy.decide(caller, Permission.ROLLBACK_APP, team) instanceof AccessPolicy.Allowed;
        rollback.setVisible(deployer);
        // Stops following the replica of the app shown before.
        if (logPanel.built()) logPanel.get().show(team, app);
        show(caller);
        // The router reuses this view when only the app in the address changes: one subscription at a time.
        if (following != null) following.remove();
        String topic = "app:" + team + "/" + app;
        following = live.subscribe(this, change -> change.topic().equals(topic), this::refresh);
    }

    private static String whatHappened(Deployment d) {
        return d.reason() == null ? d.message() : d.reason() + (d.message() == null ? "" : " — " + d.message());
    }

    @Override
    public String getPageTitle() {
        return team + "/" + app + " · Berth";
    }

    private void refresh() {
        var caller = callers.current();
        detail = apps.get(caller, team, app);
        show(caller);
    }

    /** The header for {@link #detail}; the open tab filled again, the others when next opened. */
    private void show(Caller caller) {
        title.setText(team + "/" + app);
        state.removeAll();
        state.add(DeploymentBadges.state(detail.deployment()).span());
        revision.setText("revision #" + detail.revision() + " · " + AppsView.shortCommit(detail.commit()) + " · "
                + detail.replicas().stream().filter(r -> r.revision() == detail.revision() && r.state().equals("HEALTHY")).count()
                + "/" + detail.desired() + " healthy");
        differences.removeAll();
        if (detail.differences().isEmpty()) {
            differences.add(new Span("Live matches desired."));
        } else {
            var list = new UnorderedList();
            detail.differences().forEach(d -> list.add(new ListItem(d)));
            differences.add(list);
        }
        filled.clear();
        fillSelected(caller);
    }

    /** {@code caller}: resolved once per request, it costs queries of its own. */
    private void fillSelected(Caller caller) {
        var tab = tabs.getSelectedTab();
        if (detail == null || tab == null || !filled.add(tab)) return;
        fillers.get(tab).accept(caller);
    }

    private void openRollback() {
        var candidates = repositories.revisionsOfApp(callers.current(), team, app, 50);
        var dialog = new RollbackDialog(team + "/" + app, candidates, apps.get(callers.current(), team, app).revision());
        dialog.addConfirmListener(e -> {
            try {
                var d = apps.rollback(callers.current(), team, app, e.revision(), e.reason(), RequestOrigin.current());
                dialog.close();
                Notices.done("Rolling " + team + "/" + app + " back to revision " + d.revision());
                refresh();
            } catch (Problem p) {
                Notices.problem(p);
            }
        });
        dialog.open();
    }
}
