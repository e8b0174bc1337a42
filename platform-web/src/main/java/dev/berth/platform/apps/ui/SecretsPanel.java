package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextField;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.secrets.AppSecrets;
import dev.berth.platform.access.AccessPolicy;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.Permission;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;

/** An app's secrets by name: set or replace a value (never shown again), or delete one. */
class SecretsPanel extends VerticalLayout {
    private final transient AppSecrets secrets;
    private final transient CallerResolver callers;
    private final Grid<AppSecrets.SecretView> grid = new Grid<>();
    private final TextField name = new TextField("Name");
    private final PasswordField value = new PasswordField("Value");
    private final Button set = new Button("Set secret");
    private final HorizontalLayout form;
    private String team;
    private String app;

    SecretsPanel(AppSecrets secrets, CallerResolver callers) {
        this.secrets = secrets;
        this.callers = callers;
        setPadding(false);
        grid.setId("secrets-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(AppSecrets.SecretView::name).setHeader("Name").setFlexGrow(1);
        grid.addColumn(s -> Timestamps.format(s.updatedAt())).setHeader("Updated (UTC)").setAutoWidth(true);
        grid.addColumn(AppSecrets.SecretView::updatedBy).setHeader("By").setAutoWidth(true);
        grid.addComponentColumn(s -> {
            var delete = new Button("Delete", e -> delete(s.name()));
            delete.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_TERTIARY);
            delete.setId("secret-delete-" + s.name());
            delete.setVisible(mayManage());
            return delete;
        }).setAutoWidth(true);
        grid.setAllRowsVisible(true);
        name.setId("secret-name");
        name.setPlaceholder("DB_PASSWORD");
        value.setId("secret-value");
        value.setRevealButtonVisible(false);
        set.setId("secret-set");
        set.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        set.addClickListener(e -> save());
        form = new HorizontalLayout(name, value, set);
        form.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(grid, form);
    }

    void show(String team, String app) {
        this.team = team;
        this.app = app;
        form.setVisible(mayManage());
        reload();
    }

    private boolean mayManage() {
        return team != null && AccessPolicy.decide(callers.current(), Permission.MANAGE_SECRETS, team) instanceof AccessPolicy.Allowed;
    }

    private void reload() {
        grid.setEmptyStateText("No secrets. An app reads one as an environment variable when berth.yaml lists its name under secrets.");
        grid.setItems(secrets.list(callers.current(), team, app));
    }

    private void save() {
        try {
            var saved = secrets.set(callers.current(), team, app, name.getValue().strip(), value.getValue(), RequestOrigin.current());
            value.clear();
            name.clear();
            Notices.done("Secret " + saved.name() + " set; replicas that use it get it on their next start");
            reload();
        } catch (Problem p) {
            Notices.problem(p);
        }
    }

    private void delete(String secret) {
        try {
            secrets.delete(callers.current(), team, app, secret, RequestOrigin.current());
            Notices.done("Secret " + secret + " deleted");
            reload();
        } catch (Problem p) {
            Notices.problem(p);
        }
    }
}
