package dev.berth.platform.audit.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.audit.ChainedEvent;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Timestamps;

/** Every field of one audit event, including the two hashes that bind it into the chain. */
class AuditDetail extends VerticalLayout {

    AuditDetail(ChainedEvent row) {
        setId("audit-detail");
        setSpacing(false);
        setHeightFull();
        // The panel scrolls on its own so a long event never stretches the page.
        getStyle().set("overflow", "auto");
        addClassNames(LumoUtility.Background.BASE, LumoUtility.BoxSizing.BORDER);
        var e = row.event();

        var title = new H3("Event #" + row.seq());
        title.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.LARGE);
        var close = new Button(VaadinIcon.CLOSE.create(), click -> fireEvent(new CloseEvent(this)));
        close.setId("audit-detail-close");
        close.setAriaLabel("Close details");
        close.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        var header = new HorizontalLayout(title, close);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);
        add(header);

        field("seq", "Sequence", String.valueOf(row.seq()), false);
        field("time", "Time (UTC)", Timestamps.format(e.time()), false);
        field("actor", "Actor", e.actor().name(), false);
        field("actor-type", "Actor type", e.actor().type().name().toLowerCase(), false);
        field("action", "Action", e.action(), true);
        field("target", "Target", e.target(), true);
        field("team", "Team", e.team(), false);
        field("outcome", "Outcome", e.outcome().name().toLowerCase(), false);
        field("source", "Source address", e.sourceAddress(), true);
        field("user-agent", "User agent", e.userAgent(), false);
        var details = new Div();
        details.setId("detail-details");
        if (e.details().isEmpty()) details.add(muted("none"));
        e.details().forEach((key, value) -> details.add(line(key + " = " + value)));
        labelled("Details", details);
        field("prev-hash", "Previous hash", row.prevHash().hex(), true);
        field("hash", "Hash", row.hash().hex(), true);
    }

    private void field(String id, String label, String value, boolean monospace) {
        Span shown = value == null || value.isEmpty() ? muted("none") : new Span(value);
        if (monospace) Monospace.apply(shown);
        shown.setId("detail-" + id);
        labelled(label, shown);
    }

    private void labelled(String label, Component value) {
        var caption = new Span(label);
        caption.addClassNames(LumoUtility.FontSize.XSMALL, LumoUtility.TextColor.SECONDARY, LumoUtility.FontWeight.SEMIBOLD);
        var box = new Div(caption, value);
        box.addClassNames(LumoUtility.Display.FLEX, LumoUtility.FlexDirection.COLUMN, LumoUtility.Padding.Vertical.XSMALL);
        box.setWidthFull();
        // Hashes and user agents are long unbroken strings; let them wrap instead of widening the panel.
        box.getStyle().set("overflow-wrap", "anywhere");
        add(box);
    }

    private static Div line(String text) {
        var line = new Div(text);
        line.addClassNames(LumoUtility.FontSize.SMALL);
        Monospace.apply(line);
        return line;
    }

    private static Span muted(String text) {
        var span = new Span(text);
        span.addClassNames(LumoUtility.TextColor.TERTIARY);
        return span;
    }

    Registration addCloseListener(ComponentEventListener<CloseEvent> listener) {
        return addListener(CloseEvent.class, listener);
    }

    /** The user closed the panel. */
    static final class CloseEvent extends ComponentEvent<AuditDetail> {
        CloseEvent(AuditDetail source) {
            super(source, true);
        }
    }
}
