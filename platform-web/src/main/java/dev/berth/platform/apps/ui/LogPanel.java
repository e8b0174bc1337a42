package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.apps.ReplicaView;
import dev.berth.platform.logs.ContainerLogs;
import dev.berth.platform.logs.LogLine;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.ui.LiveUpdates;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Follows one replica's output as its agent ships it: the recent tail first, then each new batch
 * appended through push as it arrives. Keeps a bounded number of lines on screen.
 */
class LogPanel extends VerticalLayout {
    static final int SHOWN_LINES = 500;

    private final transient ContainerLogs logs;
    private final transient CallerResolver callers;
    private final ComboBox<ReplicaView> replica = new ComboBox<>("Replica");
    private final Pre output = new Pre();
    private final Span status = new Span();
    private final Deque<String> lines = new ArrayDeque<>();
    private String team;
    private String app;
    private String following;
    private long last;

    LogPanel(ContainerLogs logs, CallerResolver callers, LiveUpdates live) {
        this.logs = logs;
        this.callers = callers;
        setSizeFull();
        setPadding(false);
        replica.setId("logs-replica");
        replica.setItemLabelGenerator(r -> r.id() + " on " + r.hostname());
        replica.setWidth("32rem");
        replica.addValueChangeListener(e -> follow(e.getValue()));
        output.setId("logs-output");
        output.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.Background.CONTRAST_5, LumoUtility.Padding.SMALL,
                LumoUtility.Overflow.AUTO, LumoUtility.Margin.NONE);
        output.setWidthFull();
        output.setHeight("28rem");
        status.setId("logs-status");
        status.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL);
        add(replica, status, output);
        live.subscribe(this, change -> following != null && change.topic().equals("logs:" + following), this::more);
    }

    /** The app whose replicas follow; a view reused for another app starts over. */
    void show(String team, String app) {
        if (Objects.equals(team, this.team) && Objects.equals(app, this.app)) return;
        this.team = team;
        this.app = app;
        replica.clear();
        follow(null);
    }

    /** The replicas to choose from, once {@link #show} named their app; the first is followed until one is chosen. */
    void replicas(List<ReplicaView> current) {
        if (app == null) throw new IllegalStateException("replicas given before the app they belong to");
        String chosen = replica.getValue() == null ? null : replica.getValue().id();
        replica.setItems(current);
        current.stream().filter(r -> r.id().equals(chosen)).findFirst()
                .or(() -> current.stream().findFirst())
                .ifPresentOrElse(replica::setValue, () -> {
                    replica.clear();
                    follow(null);
                });
    }

    private void follow(ReplicaView r) {
        String container = r == null ? null : r.container();
        if (Objects.equals(container, following)) return;
        following = container;
        lines.clear();
        last = 0;
        if (r == null) {
            output.setText("");
            status.setText("No replicas, so no logs yet.");
            return;
        }
        var page = logs.read(callers.current(), team, app, r.id(), null, SHOWN_LINES);
        append(page.lines());
        last = page.last();
        status.setText(lines.isEmpty() ? "No output from " + r.id() + " yet; new lines appear here as they arrive."
                : "Following " + r.id() + "; new lines appear as they arrive.");
    }

    /** Appends what arrived after the last line shown. */
    private void more() {
        var r = replica.getValue();
        if (r == null || following == null) return;
        var page = logs.read(callers.current(), team, app, r.id(), last, SHOWN_LINES);
        if (page.lines().isEmpty()) return;
        append(page.lines());
        last = page.last();
        status.setText("Following " + r.id() + "; new lines appear as they arrive.");
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
