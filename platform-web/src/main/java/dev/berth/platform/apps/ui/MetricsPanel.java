package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.apps.ReplicaView;
import dev.berth.platform.metrics.AppMetrics;
import dev.berth.platform.metrics.AppMetricsService;
import dev.berth.platform.metrics.Resolution;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.traffic.EdgeTraffic;
import dev.berth.platform.ui.LiveUpdates;
import dev.berth.platform.ui.Notices;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The app's resource use as charts: CPU, memory against its limit, network, restarts (summed over
 * its replicas, from the samples agents send every 10 s with their heartbeats), and the requests
 * and 5xx answers the edges counted in the last minutes when the app has routes. Reads through
 * {@link AppMetricsService} and {@link EdgeTraffic}, which check the viewer's role as the API does.
 * While the tab is open it follows the heartbeats of the app's hosts, at most once per 10-second
 * slot (a slot holds one sample), adding only the newest points to the charts.
 */
class MetricsPanel extends VerticalLayout {
    private final transient AppMetricsService metrics;
    private final transient EdgeTraffic traffic;
    private final transient CallerResolver callers;
    private final transient Clock clock;
    private final RadioButtonGroup<MetricsRange> range = new RadioButtonGroup<>();
    private final Paragraph empty = new Paragraph();
    private final Div charts = new Div();
    private final Map<MetricChart, MetricsChart> shown = new EnumMap<>(MetricChart.class);
    private final Map<MetricChart, Span> latest = new EnumMap<>(MetricChart.class);
    private final Map<MetricChart, Div> boxes = new EnumMap<>(MetricChart.class);
    private String team;
    private String app;
    private boolean routed;
    private volatile boolean active;
    private boolean detached;
    /** The start of the newest bucket shown with a sample; null while none is. */
    private Instant newest;
    /** Topics of the app's hosts' heartbeats, read by the live updates' thread. */
    private volatile Set<String> hosts = Set.of();
    /** The 10-second slot last shown, read by the live updates' thread. */
    private volatile Instant slot = Instant.EPOCH;

    MetricsPanel(AppMetricsService metrics, EdgeTraffic traffic, CallerResolver callers, LiveUpdates live, Clock clock) {
        this.metrics = metrics;
        this.traffic = traffic;
        this.callers = callers;
        this.clock = clock;
        setPadding(false);
        setId("app-metrics");
        range.setId("metrics-range");
        range.setLabel("Last");
        range.setHelperText("Times in UTC");
        range.setItems(MetricsRange.values());
        range.setItemLabelGenerator(MetricsRange::label);
        range.setValue(MetricsRange.HOUR);
        range.addValueChangeListener(e -> {
            if (e.isFromClient()) reload();
        });
        empty.setId("metrics-empty");
        empty.addClassNames(LumoUtility.TextColor.SECONDARY);
        empty.setVisible(false);
        charts.setWidthFull();
        charts.addClassNames(LumoUtility.Display.GRID, LumoUtility.Gap.MEDIUM);
        charts.getStyle().set("grid-template-columns", "repeat(auto-fit, minmax(28rem, 1fr))");
        for (var chart : MetricChart.values()) {
            var title = new H3(chart.title());
            title.addClassNames(LumoUtility.FontSize.MEDIUM, LumoUtility.Margin.NONE);
            var now = new Span();
            now.setId("metrics-latest-" + chart.id());
            now.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
            var plot = new MetricsChart(chart);
            var box = new Div(title, now, plot);
            box.setId("metrics-box-" + chart.id());
            box.setMinWidth("0");
            shown.put(chart, plot);
            latest.put(chart, now);
            boxes.put(chart, box);
            charts.add(box);
        }
        setWidthFull();
        add(range, empty, charts);
        live.subscribe(this, change -> active && hosts.contains(change.topic()) && nextSlot().isAfter(slot), this::refresh);
    }

    /** The app to chart, its replicas (whose hosts' heartbeats bring samples) and whether it has routes. */
    void show(String team, String app, List<ReplicaView> replicas, boolean routed) {
        hosts = replicas.stream().map(r -> "host:" + r.hostId()).collect(Collectors.toUnmodifiableSet());
        boolean same = Objects.equals(team, this.team) && Objects.equals(app, this.app) && routed == this.routed;
        this.team = team;
        this.app = app;
        this.routed = routed;
        active = true;
        if (!same) reload();
        else refresh();
    }

    /** Whether its tab is the one shown: a hidden panel follows nothing. */
    void active(boolean active) {
        boolean resumed = active && !this.active;
        this.active = active;
        if (resumed) reload();
    }

    @Override
    protected void onAttach(AttachEvent attachEvent) {
        super.onAttach(attachEvent);
        // Attached again (the view came back): the charts are made anew on the client. The first
        // attach comes after the first data (the tab's content is attached once the tab shows).
        if (detached) reload();
        detached = false;
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        super.onDetach(detachEvent);
        detached = true;
    }

    private Instant nextSlot() {
        return Resolution.RAW.bucketOf(clock.instant());
    }

    /** The whole window of the chosen range, read again. */
    private void reload() {
        if (app == null) return;
        try {
            Instant now = clock.instant();
            var chosen = range.getValue();
            var window = metrics.read(callers.current(), team, app, chosen.from(now).toString(), null, chosen.stepText());
            slot = Resolution.RAW.bucketOf(now);
            display(window, true);
        } catch (Problem p) {
            Notices.problem(p);
        }
    }

    /** The newest points since the last shown, once per 10-second slot at most. */
    private void refresh() {
        if (app == null || !active) return;
        Instant now = clock.instant();
        if (!Resolution.RAW.bucketOf(now).isAfter(slot)) return;
        var chosen = range.getValue();
        if (newest == null || newest.isBefore(chosen.query(now).from())) {
            reload();
            return;
        }
        slot = Resolution.RAW.bucketOf(now);
        var tail = metrics.read(callers.current(), team, app, newest.toString(), null, chosen.stepText());
        display(tail, false);
    }

    private void display(AppMetrics window, boolean whole) {
        var cpu = MetricChart.CPU.of(window);
        var memory = MetricChart.MEMORY.of(window);
        boolean any = cpu.hasValues() || memory.hasValues();
        if (whole && !any) {
            // Nothing yet: the next refresh reads the whole window again.
            newest = null;
            empty.setText(range.getValue().emptyText());
            empty.setVisible(true);
            charts.setVisible(false);
            return;
        }
        empty.setVisible(false);
        charts.setVisible(true);
        Instant keepFrom = range.getValue().query(clock.instant()).from();
        // A window that starts before the app's first sample starts at that sample instead: an app
        // deployed a minute ago is not a sliver at the right edge of an empty hour.
        Long first = whole ? memory.oldestTime() : null;
        for (var chart : MetricChart.values()) {
            if (!chart.fromSamples()) continue;
            var data = first == null ? chart.of(window) : chart.of(window).from(first);
            if (whole) shown.get(chart).show(data);
            else shown.get(chart).append(data, keepFrom);
            // A tail whose buckets are still empty (not rolled up yet) leaves the newest values read as they were.
            if (whole || data.hasValues()) latest.get(chart).setText(chart.latest(data));
        }
        // The next tail starts at the newest bucket with a sample: later ones may still fill (a
        // roll-up into minutes runs after the minute ends), and are sent again until they do.
        var last = memory.newestTime();
        if (last != null) newest = Instant.ofEpochSecond(last);
        boxes.get(MetricChart.REQUESTS).setVisible(routed);
        if (routed) {
            var requests = MetricChart.requests(traffic.recent(callers.current(), team, app));
            shown.get(MetricChart.REQUESTS).show(requests);
            latest.get(MetricChart.REQUESTS).setText(requests.hasValues() ? MetricChart.REQUESTS.latest(requests)
                    : "No request reported by an edge in the last 5 minutes.");
        }
    }
}
