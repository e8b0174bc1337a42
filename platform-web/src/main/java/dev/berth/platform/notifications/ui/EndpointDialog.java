package dev.berth.platform.notifications.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import dev.berth.platform.notifications.NotificationEndpoint;
import dev.berth.platform.notifications.NotificationEvent;
import dev.berth.platform.notifications.NotificationFormat;
import dev.berth.platform.notifications.NotificationService;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.ui.Notices;
import java.util.Arrays;
import java.util.LinkedHashSet;

/**
 * Adds an endpoint or changes one: its name, URL, format and events. What the service refuses is
 * shown on the field it names ("url: ..."), or as a notice when it names none.
 */
class EndpointDialog extends Dialog {
    /** Saves the settings; throws the service's {@link Problem} when refused. */
    interface Save {
        void save(NotificationService.Settings settings);
    }

    private final TextField name = new TextField("Name");
    private final TextField url = new TextField("URL");
    private final Select<NotificationFormat> format = new Select<>();
    private final CheckboxGroup<NotificationEvent> events = new CheckboxGroup<>("Events");
    private final Checkbox enabled = new Checkbox("Enabled: deliveries go out");

    EndpointDialog(NotificationEndpoint existing, Save save) {
        setHeaderTitle(existing == null ? "Add a notification endpoint" : "Edit endpoint '" + existing.name() + "'");
        name.setId("endpoint-name");
        name.setRequired(true);
        name.setHelperText("Letters, digits, spaces, '.', '_' or '-'");
        url.setId("endpoint-url");
        url.setRequired(true);
        url.setPlaceholder("https://hooks.slack.com/services/…");
        url.setHelperText("http or https; private and loopback addresses only where an administrator allowed them");
        format.setId("endpoint-format");
        format.setLabel("Format");
        format.setItems(NotificationFormat.values());
        format.setItemLabelGenerator(EndpointLabels::format);
        events.setId("endpoint-events");
        events.setItems(NotificationEvent.values());
        events.setItemLabelGenerator(NotificationEvent::value);
        enabled.setId("endpoint-enabled");
        if (existing == null) {
            format.setValue(NotificationFormat.GENERIC);
            events.setValue(new LinkedHashSet<>(Arrays.asList(NotificationEvent.values())));
            enabled.setValue(true);
            enabled.setVisible(false);
        } else {
            name.setValue(existing.name());
            url.setValue(existing.url());
            format.setValue(existing.format());
            events.setValue(new LinkedHashSet<>(existing.events()));
            enabled.setValue(existing.enabled());
        }
        var form = new FormLayout(name, url, format, events, enabled);
        form.setColspan(url, 2);
        form.setColspan(events, 2);
        form.setColspan(enabled, 2);
        add(form);
        setWidth("40rem");

        var saveButton = new Button(existing == null ? "Add" : "Save", e -> save(save));
        saveButton.setId("endpoint-save");
        saveButton.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var cancel = new Button("Cancel", e -> close());
        cancel.setId("endpoint-cancel");
        getFooter().add(cancel, saveButton);
    }

    private void save(Save save) {
        name.setInvalid(false);
        url.setInvalid(false);
        events.setInvalid(false);
        // In the order the API lists them, so the stored list reads the same whatever was ticked first.
        var chosen = Arrays.stream(NotificationEvent.values()).filter(events.getValue()::contains).map(NotificationEvent::value).toList();
        var settings = new NotificationService.Settings(name.getValue().strip(), url.getValue().strip(),
                format.getValue() == null ? null : format.getValue().name(), chosen, enabled.getValue());
        try {
            save.save(settings);
            close();
        } catch (Problem p) {
            String message = p.getMessage();
            if (message.startsWith("name: ")) refuse(name, message);
            else if (message.startsWith("url: ")) refuse(url, message);
            else if (message.startsWith("events")) {
                events.setErrorMessage(message.substring(message.indexOf(':') + 1).strip());
                events.setInvalid(true);
            } else Notices.problem(p);
        }
    }

    private static void refuse(TextField field, String message) {
        field.setErrorMessage(message.substring(message.indexOf(':') + 1).strip());
        field.setInvalid(true);
    }
}
