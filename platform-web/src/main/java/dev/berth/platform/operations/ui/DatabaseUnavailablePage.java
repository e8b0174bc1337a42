package dev.berth.platform.operations.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.operations.DatabaseOutage;

/**
 * What the dashboard shows instead of Vaadin's internal error when a page could not be opened
 * because the database is unreachable. Outside the frame, whose navigation reads the database too.
 */
public abstract class DatabaseUnavailablePage extends VerticalLayout {
    protected DatabaseUnavailablePage() {
        var heading = new H2("The platform cannot reach its database");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var message = new Paragraph("Running apps are not affected. Reload this page in a few seconds.");
        message.setId("database-unavailable");
        add(heading, message);
        getElement().setAttribute("title", DatabaseOutage.SENTENCE);
    }
}
