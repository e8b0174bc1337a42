package dev.berth.platform.notifications.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.theme.lumo.LumoUtility;
import java.util.List;

/** The warning a page shows while endpoints are paused; hidden when none is. */
final class PausedBanner {
    private PausedBanner() {
    }

    static void style(Div banner) {
        banner.addClassNames(LumoUtility.Background.ERROR_10, LumoUtility.TextColor.ERROR, LumoUtility.Padding.SMALL,
                LumoUtility.BorderRadius.MEDIUM, LumoUtility.Width.FULL, LumoUtility.BoxSizing.BORDER);
        banner.setVisible(false);
    }

    static void fill(Div banner, List<String> lines) {
        banner.removeAll();
        for (String line : lines) {
            var icon = VaadinIcon.WARNING.create();
            icon.setSize("var(--lumo-icon-size-s)");
            var row = new Div(icon, new Span(" " + line));
            banner.add(row);
        }
        banner.setVisible(!lines.isEmpty());
    }
}
