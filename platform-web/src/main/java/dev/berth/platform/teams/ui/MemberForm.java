package dev.berth.platform.teams.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.shared.Registration;
import dev.berth.platform.access.Role;
import java.util.List;

/** Picks a user and a role to add to a team, and emits the pair. */
class MemberForm extends HorizontalLayout {
    private final ComboBox<String> username = new ComboBox<>("Add a member");
    private final Select<Role> role = new Select<>();

    MemberForm() {
        setAlignItems(FlexComponent.Alignment.BASELINE);
        username.setId("add-member-username");
        username.setPlaceholder("username");
        username.setClearButtonVisible(true);
        role.setId("add-member-role");
        role.setLabel("Role");
        role.setItems(Role.values());
        role.setValue(Role.VIEWER);
        role.setWidth("10rem");
        var add = new Button("Add", VaadinIcon.PLUS.create(),
                e -> fireEvent(new AddEvent(this, username.getValue(), role.getValue())));
        add.setId("add-member");
        add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        add.setEnabled(false);
        username.addValueChangeListener(e -> add.setEnabled(e.getValue() != null));
        add(username, role, add);
    }

    void setUsernames(List<String> usernames) {
        username.setItems(usernames);
    }

    void clear() {
        username.clear();
        role.setValue(Role.VIEWER);
    }

    Registration addAddListener(ComponentEventListener<AddEvent> listener) {
        return addListener(AddEvent.class, listener);
    }

    /** The user asked to add {@code username} with {@code role}; either may be null if not picked. */
    static final class AddEvent extends ComponentEvent<MemberForm> {
        private final String username;
        private final Role role;

        AddEvent(MemberForm source, String username, Role role) {
            super(source, true);
            this.username = username;
            this.role = role;
        }

        String username() {
            return username;
        }

        Role role() {
            return role;
        }
    }
}
