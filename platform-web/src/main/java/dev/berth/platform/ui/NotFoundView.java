package dev.berth.platform.ui;

import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.ErrorParameter;
import com.vaadin.flow.router.HasErrorParameter;
import com.vaadin.flow.router.NotFoundException;
import com.vaadin.flow.router.ParentLayout;
import com.vaadin.flow.router.RouteConfiguration;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.theme.lumo.LumoUtility;
import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Shown inside the dashboard frame for a page that does not exist and, because Vaadin reroutes
 * denied navigation here, for one the user may not open. Both read the same, so the page does
 * not reveal which routes exist.
 */
@ParentLayout(MainLayout.class)
@PermitAll
public class NotFoundView extends VerticalLayout implements HasErrorParameter<NotFoundException> {
    /** Named by its path: the frame does not depend on the views it frames. */
    private static final String TEAMS = "teams";
    private final Paragraph message = new Paragraph();

    public NotFoundView() {
        var heading = new H2("Page not found");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        message.setId("not-found");
        add(heading, message);
        RouteConfiguration.forApplicationScope().getRoute(TEAMS).ifPresent(teams -> add(new RouterLink("Go to your teams", teams)));
    }

    @Override
    public int setErrorParameter(BeforeEnterEvent event, ErrorParameter<NotFoundException> parameter) {
        message.setText("There is no page at '/" + event.getLocation().getPath() + "' that you can open.");
        return HttpServletResponse.SC_NOT_FOUND;
    }
}
