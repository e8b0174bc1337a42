package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Paragraph;
import dev.berth.agent.protocol.IsolationCheck;
import dev.berth.platform.apps.IsolationView;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Timestamps;

/** What the replica's host measured on the live process: each protection, expected against seen. */
class IsolationDialog extends Dialog {
    IsolationDialog(IsolationView view) {
        setHeaderTitle("Isolation of " + view.replica());
        setWidth("60rem");
        long failed = view.checks().stream().filter(c -> !c.passed()).count();
        var summary = new Paragraph(view.checks().isEmpty()
                ? "Not measured yet: the agent reports it once the container runs."
                : (failed == 0 ? "All " + view.checks().size() + " checks passed" : failed + " of " + view.checks().size() + " checks failed")
                        + " on " + view.hostname() + (view.reportedAt() == null ? "" : ", reported " + Timestamps.format(view.reportedAt()) + " UTC") + ".");
        summary.setId("isolation-summary");
        var grid = new Grid<IsolationCheck>();
        grid.setId("isolation-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addComponentColumn(c -> DeploymentBadges.badge(c.passed() ? "pass" : "fail", c.passed() ? "success" : "error").span())
                .setHeader("").setAutoWidth(true);
        grid.addColumn(IsolationCheck::name).setHeader("Check").setAutoWidth(true);
        grid.addComponentColumn(c -> Monospace.apply(new com.vaadin.flow.component.html.Span(c.expected()))).setHeader("Expected")
                .setFlexGrow(1).setTooltipGenerator(IsolationCheck::expected);
        grid.addComponentColumn(c -> Monospace.apply(new com.vaadin.flow.component.html.Span(c.actual()))).setHeader("Seen")
                .setFlexGrow(1).setTooltipGenerator(IsolationCheck::actual);
        grid.setItems(view.checks());
        grid.setAllRowsVisible(true);
        add(summary, grid);
        var close = new Button("Close", e -> close());
        close.setId("isolation-close");
        getFooter().add(close);
    }
}
