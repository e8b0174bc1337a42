package dev.berth.platform.teams.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.egress.EgressAllowService;
import dev.berth.platform.egress.EgressRanges;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Notices;
import java.util.Arrays;
import java.util.List;

/**
 * The selected team's allowed private ranges: what its apps may name in berth.yaml's
 * {@code egressTo}. Members see the list; platform admins edit it, one range per line, and a
 * refused entry is shown on the field with the server's sentence. The service checks the rights again.
 */
class NetworkPanel extends VerticalLayout {
    static final String EMPTY = "No private ranges allowed: apps of this team reach only public addresses (egress: public)"
            + " and their connects.";
    private final transient EgressAllowService egress;
    private final transient CallerResolver callers;
    private final H3 title = new H3("Network");
    private final Paragraph empty = new Paragraph(EMPTY);
    private final UnorderedList ranges = new UnorderedList();
    private final TextArea editor = new TextArea("Allowed private ranges");
    private final Button save = new Button("Save ranges", VaadinIcon.CHECK.create());
    private String team;

    NetworkPanel(EgressAllowService egress, CallerResolver callers) {
        this.egress = egress;
        this.callers = callers;
        setPadding(false);
        setSpacing(false);
        setId("network");
        title.addClassNames(LumoUtility.Margin.Bottom.XSMALL);
        var explanation = new Paragraph("Ranges this team's apps may name in berth.yaml's egressTo, beyond public addresses."
                + " An allowed range allows every port.");
        explanation.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL, LumoUtility.Margin.Top.NONE);
        empty.setId("egress-empty");
        empty.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.Top.NONE);
        ranges.setId("egress-ranges");
        ranges.addClassNames(LumoUtility.Margin.Top.NONE);

        editor.setId("egress-editor");
        editor.setWidthFull();
        editor.setMaxWidth("32rem");
        editor.setMinHeight("6em");
        editor.setHelperText("One range per line, such as 10.20.0.0/16 or fd00:1::/64; at most " + EgressRanges.MAX + ".");
        editor.addValueChangeListener(e -> editor.setInvalid(false));
        save.setId("save-egress");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        save.addClickListener(e -> save());
        add(title, explanation, empty, ranges, editor, save);
        setVisible(false);
    }

    /** Shows the ranges of {@code team}; hidden when none is selected. */
    void show(String team) {
        this.team = team;
        setVisible(team != null);
        if (team == null) return;
        boolean admin = callers.current().platformAdmin();
        editor.setVisible(admin);
        save.setVisible(admin);
        editor.setInvalid(false);
        try {
            display(egress.get(callers.current(), team).ranges());
        } catch (Problem p) {
            Notices.problem(p);
            display(List.of());
        }
    }

    private void display(List<String> allowed) {
        empty.setVisible(allowed.isEmpty());
        ranges.removeAll();
        allowed.forEach(r -> ranges.add(Monospace.apply(new ListItem(r))));
        // Admins read the list in the editor itself.
        ranges.setVisible(!allowed.isEmpty() && !editor.isVisible());
        editor.setValue(String.join("\n", allowed));
    }

    private void save() {
        var lines = Arrays.stream(editor.getValue().split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        try {
            var saved = egress.replace(callers.current(), team, lines, RequestOrigin.current());
            display(saved.ranges());
            Notices.done(saved.ranges().isEmpty() ? "Team " + team + " may reach no private range now"
                    : "Allowed ranges of team " + team + " saved");
        } catch (Problem p) {
            editor.setErrorMessage(p.getMessage());
            editor.setInvalid(true);
        }
    }
}
