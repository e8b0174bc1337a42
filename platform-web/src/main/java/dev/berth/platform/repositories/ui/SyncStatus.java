package dev.berth.platform.repositories.ui;

import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.repositories.Repository;
import dev.berth.platform.ui.Timestamps;

/** An external repository's current or last fetch: a state badge, what it brought, and its error. */
class SyncStatus extends VerticalLayout {
    private final Span badge = new Span();
    private final Span summary = new Span();
    private final Pre error = new Pre();

    SyncStatus() {
        setPadding(false);
        setSpacing(false);
        badge.setId("sync-state");
        summary.setId("sync-status");
        error.setId("sync-error");
        error.addClassNames(LumoUtility.TextColor.ERROR, LumoUtility.FontSize.SMALL, LumoUtility.Padding.SMALL,
                LumoUtility.Background.ERROR_10, LumoUtility.Margin.Vertical.XSMALL);
        // JGit's reasons are long single lines: wrapped, not a page that scrolls sideways.
        error.getStyle().set("white-space", "pre-wrap").set("overflow-wrap", "anywhere");
        error.setWidthFull();
        var line = new HorizontalLayout(badge, summary);
        line.setAlignItems(Alignment.BASELINE);
        add(line, error);
    }

    void show(Repository.Sync sync) {
        badge.setText(sync.state().value());
        badge.getElement().getThemeList().clear();
        badge.getElement().getThemeList().add(switch (sync.state()) {
            case QUEUED, SYNCING -> "badge contrast";
            case SUCCEEDED -> "badge success";
            case FAILED -> "badge error";
        });
        summary.setText(describe(sync));
        error.setText(sync.error() == null ? "" : sync.error());
        error.setVisible(sync.error() != null && sync.state() != Repository.SyncState.SYNCING);
    }

    /** One sentence for people; the badge carries the state itself. */
    static String describe(Repository.Sync sync) {
        String commit = sync.commit() == null ? null : sync.commit().substring(0, 12);
        return switch (sync.state()) {
            case QUEUED -> "The first fetch starts in a moment.";
            case SYNCING -> "Fetching since " + Timestamps.format(sync.startedAt()) + " UTC" + by(sync.trigger()) + ".";
            case SUCCEEDED -> "Fetched " + Timestamps.format(sync.finishedAt()) + " UTC" + by(sync.trigger()) + ": commit " + commit
                    + (sync.revision() == null ? "." : ", revision " + sync.revision() + ".");
            case FAILED -> "Failed " + Timestamps.format(sync.finishedAt()) + " UTC" + by(sync.trigger())
                    + (commit == null ? "." : ": commit " + commit + " was not accepted.")
                    + (sync.revision() == null ? " No revision yet." : " Revision " + sync.revision() + " stays the latest.");
        };
    }

    private static String by(String trigger) {
        return trigger == null ? "" : " (" + trigger + ")";
    }
}
