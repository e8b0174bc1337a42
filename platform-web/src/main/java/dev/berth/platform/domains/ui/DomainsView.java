package dev.berth.platform.domains.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.domains.AppsDomain;
import dev.berth.platform.domains.DomainPattern;
import dev.berth.platform.domains.TeamDomain;
import dev.berth.platform.domains.TeamDomainService;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.teams.Team;
import dev.berth.platform.teams.TeamService;
import dev.berth.platform.ui.MenuAudience;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.PermitAll;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Each team's domains: the host names its apps may serve through berth.yaml's {@code routes}.
 * Members of a team read its list; platform admins add a pattern (refused ones are shown on the
 * field with the server's sentence) and remove one. {@link TeamDomainService} checks the rights again.
 */
@Route("domains")
@Menu(title = "Domains", order = 2.5, icon = "vaadin:globe")
@MenuAudience(Permission.VIEW_DOMAINS)
@PageTitle("Domains · Berth")
@PermitAll
public class DomainsView extends VerticalLayout {
    private final transient TeamDomainService domains;
    private final transient CallerResolver callers;
    private final ComboBox<String> team = new ComboBox<>("Team");
    private final Grid<TeamDomain> grid = new Grid<>();
    private final Paragraph empty = new Paragraph();
    private final TextField pattern = new TextField("Add a domain");
    private final Button add = new Button("Add", VaadinIcon.PLUS.create());
    private final boolean admin;
    private List<TeamDomain> shown = List.of();

    public DomainsView(TeamDomainService domains, TeamService teams, AppsDomain apps, CallerResolver callers) {
        this.domains = domains;
        this.callers = callers;
        this.admin = callers.current().platformAdmin();
        setSizeFull();

        var heading = new H2("Domains");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        team.setId("domains-team");
        team.setItems(teams.list(callers.current()).stream().map(Team::name).toList());
        team.addValueChangeListener(e -> reload());
        var header = new HorizontalLayout(heading, team);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.BASELINE);

        var explanation = new Paragraph("Host names this team's apps may serve through berth.yaml's routes: an exact host"
                + " such as shop.example.com, or a wildcard of one label such as *.payments.example.com. A host belongs to one"
                + " team only." + apps.domain().map(d -> " Every app with a published port is also served at APP.TEAM." + d
                + ", which needs no domain here.").orElse(""));
        explanation.setId("domains-explanation");
        explanation.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.FontSize.SMALL, LumoUtility.Margin.Top.NONE);
        empty.setId("domains-empty");
        empty.addClassNames(LumoUtility.TextColor.SECONDARY);

        grid.setId("domains-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.setAllRowsVisible(true);
        grid.addComponentColumn(d -> Monospace.apply(new com.vaadin.flow.component.html.Span(d.pattern())))
                .setHeader("Domain").setFlexGrow(2);
        grid.addColumn(TeamDomain::addedBy).setHeader("Added by");
        grid.addColumn(d -> Timestamps.format(d.addedAt())).setHeader("Added");
        if (admin) {
            grid.addComponentColumn(d -> {
                var remove = new Button("Remove", VaadinIcon.TRASH.create(), e -> remove(d.pattern()));
                remove.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
                remove.setId("remove-" + d.pattern().replace("*", "star"));
                return remove;
            }).setHeader("").setAutoWidth(true).setFlexGrow(0);
        }

        pattern.setId("domain-pattern");
        pattern.setPlaceholder("*.payments.example.com");
        pattern.setWidth("24rem");
        pattern.setHelperText("An exact host or *. and a domain, lower case; at most " + DomainPattern.MAX + " per team.");
        pattern.addValueChangeListener(e -> pattern.setInvalid(false));
        add.setId("add-domain");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add.addClickListener(e -> add());
        add.addClickShortcut(com.vaadin.flow.component.Key.ENTER);
        var form = new HorizontalLayout(pattern, add);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        form.setVisible(admin);

        add(header, explanation, form, empty, grid);
        team.getListDataView().getItems().findFirst().ifPresent(team::setValue);
        if (team.isEmpty()) reload();
    }

    private void reload() {
        String selected = team.getValue();
        pattern.setInvalid(false);
        if (selected == null) {
            display(List.of(), "You are not in any team yet, so there are no domains to show.");
            return;
        }
        try {
            display(domains.get(callers.current(), selected).domains(), null);
        } catch (Problem p) {
            Notices.problem(p);
            display(List.of(), null);
        }
    }

    private void display(List<TeamDomain> list, String why) {
        shown = list;
        grid.setItems(list);
        grid.setVisible(!list.isEmpty());
        empty.setVisible(list.isEmpty());
        empty.setText(why != null ? why : "Team " + team.getValue() + " holds no domains yet. Domains are the host names its"
                + " apps may serve through berth.yaml's routes, and only a platform admin can add them: "
                + (admin ? "add the first one above." : "ask one to add the ones this team needs."));
    }

    private void add() {
        String wanted = pattern.getValue().strip().toLowerCase(Locale.ROOT);
        if (wanted.isEmpty()) {
            refuse("Write a host such as shop.example.com, or a wildcard such as *.payments.example.com");
            return;
        }
        var list = new ArrayList<>(patterns());
        list.add(wanted);
        if (save(list, "Domain " + wanted + " added to team " + team.getValue())) pattern.clear();
    }

    private void remove(String gone) {
        var list = new ArrayList<>(patterns());
        list.remove(gone);
        save(list, "Domain " + gone + " removed from team " + team.getValue());
    }

    private List<String> patterns() {
        return shown.stream().map(TeamDomain::pattern).toList();
    }

    private boolean save(List<String> list, String done) {
        try {
            display(domains.replace(callers.current(), team.getValue(), list, RequestOrigin.current()).domains(), null);
            Notices.done(done);
            return true;
        } catch (Problem p) {
            // The service names the entry by its place in the whole list; on the field, the entry is the one typed.
            refuse(p.getMessage().replaceFirst("^domains\\[\\d+\\] ", ""));
            return false;
        }
    }

    private void refuse(String message) {
        pattern.setErrorMessage(message);
        pattern.setInvalid(true);
    }
}
