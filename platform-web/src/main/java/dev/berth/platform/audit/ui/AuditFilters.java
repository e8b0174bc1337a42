package dev.berth.platform.audit.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.shared.Registration;
import dev.berth.platform.audit.AuditQuery;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/** The audit log's filters; every change emits the resulting {@link AuditQuery}. Times are UTC. */
class AuditFilters extends HorizontalLayout {
    private final DateTimePicker from = new DateTimePicker("From (UTC)");
    private final DateTimePicker to = new DateTimePicker("To (UTC)");
    private final TextField actor = text("Actor", "audit-actor", "username");
    private final TextField team = text("Team", "audit-team", "team name");
    private final TextField action = text("Action", "audit-action", "e.g. team.create");
    private final TextField search = text("Contains", "audit-text", "any text");

    AuditFilters() {
        setWrap(true);
        setAlignItems(FlexComponent.Alignment.BASELINE);
        from.setId("audit-from");
        to.setId("audit-to");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        var clear = new Button("Clear", VaadinIcon.CLOSE_SMALL.create(), e -> clear());
        clear.setId("audit-clear");
        clear.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        add(from, to, actor, team, action, search, clear);
        List<HasValue<?, ?>> fields = List.of(from, to, actor, team, action, search);
        fields.forEach(f -> f.addValueChangeListener(e -> fireEvent(new ChangeEvent(this, query()))));
    }

    private static TextField text(String label, String id, String placeholder) {
        var field = new TextField(label);
        field.setId(id);
        field.setPlaceholder(placeholder);
        field.setClearButtonVisible(true);
        field.setValueChangeMode(ValueChangeMode.LAZY);
        field.setWidth("11rem");
        return field;
    }

    AuditQuery query() {
        return new AuditQuery(utc(from.getValue()), utc(to.getValue()), actor.getValue(), team.getValue(),
                action.getValue(), search.getValue(), Optional.empty());
    }

    private void clear() {
        from.clear();
        to.clear();
        actor.clear();
        team.clear();
        action.clear();
        search.clear();
    }

    private static Instant utc(LocalDateTime time) {
        return time == null ? null : time.toInstant(ZoneOffset.UTC);
    }

    Registration addChangeListener(ComponentEventListener<ChangeEvent> listener) {
        return addListener(ChangeEvent.class, listener);
    }

    /** The filters now select this query. */
    static final class ChangeEvent extends ComponentEvent<AuditFilters> {
        private final AuditQuery query;

        ChangeEvent(AuditFilters source, AuditQuery query) {
            super(source, false);
            this.query = query;
        }

        AuditQuery query() {
            return query;
        }
    }
}
