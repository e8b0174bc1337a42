package dev.berth.platform.tokens.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;
import dev.berth.platform.access.Role;
import dev.berth.platform.tokens.TokenService;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** Collects what a new token should be and emits it as a {@link TokenService.Request}. */
class NewTokenDialog extends Dialog {
    private final TextField name = new TextField("Name");
    private final ComboBox<String> team = new ComboBox<>("Team");
    private final Select<Role> role = new Select<>();
    private final DatePicker expires = new DatePicker("Expires on");

    NewTokenDialog(List<String> teams) {
        setHeaderTitle("New API token");
        name.setId("token-name");
        name.setHelperText("What the token is for, e.g. 'CI deploys'");
        name.setAutofocus(true);

        team.setId("token-team");
        team.setItems(teams);
        team.setClearButtonVisible(true);
        team.setPlaceholder("Any team");
        team.setHelperText("Optional: the token only works for this team");

        role.setId("token-role");
        role.setLabel("Highest role");
        role.setItems(Role.values());
        role.setEmptySelectionAllowed(true);
        role.setEmptySelectionCaption("Your role in the team");
        role.setHelperText("Optional, needs a team: the token never acts above this role");
        role.setEnabled(false);
        team.addValueChangeListener(e -> {
            role.setEnabled(e.getValue() != null);
            if (e.getValue() == null) role.clear();
        });

        // Expiry is at the start of the chosen day, UTC, and at most a year ahead as the service allows.
        var today = LocalDate.now(ZoneOffset.UTC);
        expires.setId("token-expires");
        expires.setMin(today.plusDays(1));
        expires.setMax(today.plusDays(TokenService.MAX_LIFETIME.toDays()));
        expires.setClearButtonVisible(true);
        expires.setHelperText("Optional: stops working at 00:00 UTC on this day");

        var form = new FormLayout(name, team, role, expires);
        form.setMaxWidth("36rem");
        add(form);

        var create = new Button("Create token", e -> fireEvent(new CreateEvent(this, request())));
        create.setId("create-token");
        create.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", e -> close()), create);
    }

    private TokenService.Request request() {
        var expiry = expires.getValue() == null ? null : expires.getValue().atStartOfDay(ZoneOffset.UTC).toInstant();
        return new TokenService.Request(name.getValue(), team.getValue(), role.getValue(), expiry);
    }

    Registration addCreateListener(ComponentEventListener<CreateEvent> listener) {
        return addListener(CreateEvent.class, listener);
    }

    /** The user asked for a token like this. */
    static final class CreateEvent extends ComponentEvent<NewTokenDialog> {
        private final TokenService.Request request;

        CreateEvent(NewTokenDialog source, TokenService.Request request) {
            super(source, true);
            this.request = request;
        }

        TokenService.Request request() {
            return request;
        }
    }
}
