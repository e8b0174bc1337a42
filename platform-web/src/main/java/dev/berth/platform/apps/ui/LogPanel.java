package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.apps.ReplicaView;
import dev.berth.platform.logs.AccessStreams;
import dev.berth.platform.logs.ContainerLogs;
import dev.berth.platform.logs.LogLine;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.traffic.EdgeTraffic;
import dev.berth.platform.ui.LiveUpdates;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Follows one replica's output, or the app's access log on one edge host, as its agent ships it:
 * the recent tail first, then each new batch appended through push as it arrives. Keeps a bounded
 * number of lines on screen. Above it, the app's request and 5xx rates as the edges report them.
 */
class LogPanel extends VerticalLayout {
    static final int SHOWN_LINES = 500;

    private final transient ContainerLogs logs;
    private final transient CallerResolver callers;
    private final transient EdgeTraffic traffic;
    private final ComboBox<LogChoice> source = new ComboBox<>("Replica or access log");
    private final Span rates = new Span();
    private final Pre output = new Pre();
    private final Span status = new Span();
    private final Deque<String> lines = new ArrayDeque<>();
    private String team;
    private String app;
    private LogChoice following;
    private long last;

    /** What the panel can follow: a replica's output, or the app's access log on an edge host. */
    sealed interface LogChoice {
        /** The log stream's name on its host, which live updates are keyed by. */
        String stream();

        String label();
    }

    record Replica(ReplicaView replica) implements LogChoice {
        @Override
        public String stream() {
            return replica.container();
        }

        @Override
        public String label() {
            return replica.id() + " on " + replica.hostname();
        }
    }

    record Access(String team, String app, ContainerLogs.AccessSource edge) implements LogChoice {
        @Override
        public String stream() {
            return AccessStreams.of(team, app);
        }

        @Override
        public String label() {
            return "Access log on " + edge.hostname();
        }
    }

    /** {@code traffic} null: no rates shown. */
    LogPanel(ContainerLogs logs, CallerResolver callers, LiveUpdates live, EdgeTraffic traffic) {
        this.logs = logs;
        this.callers = callers;
        this.traffic = traffic;
        setSizeFull();
        setPadding(false);
        source.setId("logs-replica");
        source.setItemLabelGenerator(LogChoice::label);
        source.setWidth("32rem");
        source.addValueChangeListener(e -> follow(e.getValue()));
        rates.setId("logs-traffic");
        rates.addClassNames(LumoUtility.FontSize.SMALL);
        output.setId("logs-output");
        output.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.Background.CONTRAST_5, LumoUtility.Padding.SMALL,
                LumoUtility.Overflow.AUTO, LumoUtility.Margin.NONE);
        output.setWidthFull();
        output.setHeight("28rem");
        status.setId("logs-status");
        status.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
        add(source, rates, status, output);
        live.subscribe(this, change -> following != null && change.topic().equals("logs:" + following.stream()), this::more);
    }

    /** The app whose replicas follow; a view reused for another app starts over. */
    void show(String team, String app) {
        if (Objects.equals(team, this.team) && Objects.equals(app, this.app)) return;
        this.team = team;
        this.app = app;
        source.clear();
        follow(null);
    }

    /**
     * The replicas to choose from, once {@link #show} named their app, and beside them the app's
     * access log on each edge host that has one; the first replica is followed until one is chosen.
     */
    void replicas(List<ReplicaView> current) {
        if (app == null) throw new IllegalStateException("replicas given before the app they belong to");
        var choices = new ArrayList<LogChoice>();
        current.forEach(r -> choices.add(new Replica(r)));
        logs.accessSources(callers.current(), team, app).forEach(e -> choices.add(new Access(team, app, e)));
        var chosen = source.getValue();
        source.setItems(choices);
        choices.stream().filter(c -> same(c, chosen)).findFirst()
                .or(() -> choices.stream().findFirst())
                .ifPresentOrElse(source::setValue, () -> {
                    source.clear();
                    follow(null);
                });
        showRates();
    }

    private static boolean same(LogChoice a, LogChoice b) {
        return switch (a) {
            case Replica r when b instanceof Replica other -> r.replica().id().equals(other.replica().id());
            case Access x when b instanceof Access other -> x.edge().hostId().equals(other.edge().hostId());
            default -> false;
        };
    }

    private void follow(LogChoice choice) {
        if (choice == null ? following == null : following != null && same(choice, following)) return;
        following = choice;
        lines.clear();
        last = 0;
        if (choice == null) {
            output.setText("");
            status.setText("No replicas, so no logs yet.");
            return;
        }
        var page = read(choice, null);
        append(page.lines());
        last = page.last();
        status.setText(lines.isEmpty() ? "Nothing from " + name(choice) + " yet; new lines appear here as they arrive."
                : "Following " + name(choice) + "; new lines appear as they arrive.");
    }

    private ContainerLogs.LogPage read(LogChoice choice, Long after) {
        return switch (choice) {
            case Replica r -> logs.read(callers.current(), team, app, r.replica().id(), after, SHOWN_LINES);
            case Access a -> logs.readAccess(callers.current(), team, app, a.edge().hostId(), after, SHOWN_LINES);
        };
    }

    private static String name(LogChoice choice) {
        return switch (choice) {
            case Replica r -> r.replica().id();
            case Access a -> "the access log on " + a.edge().hostname();
        };
    }

    /** Appends what arrived after the last line shown. */
    private void more() {
        var choice = following;
        if (choice == null) return;
        if (choice instanceof Access) showRates();
        var page = read(choice, last);
        if (page.lines().isEmpty()) return;
        append(page.lines());
        last = page.last();
        status.setText("Following " + name(choice) + "; new lines appear as they arrive.");
    }

    private void showRates() {
        var now = traffic == null ? List.<EdgeTraffic.Rate>of() : traffic.rates(callers.current(), team, app).rates();
        rates.setVisible(!now.isEmpty());
        rates.setText(now.stream().map(r -> String.format(Locale.ROOT, "%.2f requests/s, %.2f 5xx/s over the last %s", r.requestsPerSecond(),
                r.serverErrorsPerSecond(), r.windowSeconds() == 60 ? "minute" : r.windowSeconds() / 60 + " minutes"))
                .reduce((a, b) -> a + "; " + b).map(t -> "Through the edges: " + t).orElse(""));
    }

    private void append(List<LogLine> batch) {
        for (LogLine l : batch) {
            lines.addLast(l.text());
            if (lines.size() > SHOWN_LINES) lines.removeFirst();
        }
        output.setText(String.join("\n", lines));
        // Keep the newest line in view, as a terminal would.
        output.getElement().executeJs("this.scrollTop = this.scrollHeight");
    }
}
