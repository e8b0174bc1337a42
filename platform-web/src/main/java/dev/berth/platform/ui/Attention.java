package dev.berth.platform.ui;

import com.vaadin.flow.component.ComponentEvent;
import com.vaadin.flow.component.ComponentUtil;
import com.vaadin.flow.component.UI;
import dev.berth.platform.access.Caller;
import java.util.List;

/**
 * Something a signed-in person should see on every page until it is dealt with (a paused webhook
 * of their team, say). Modules provide beans of it; {@link MainLayout} shows their items in its
 * header, knowing none of them by name.
 */
public interface Attention {
    /**
     * One line shown in the header.
     *
     * @param id   the element id, for tests and styling
     * @param path where following it leads, relative to the dashboard's root; null for plain text
     */
    record Item(String id, String text, String path) {
    }

    /** What {@code caller} should see now; empty when nothing. */
    List<Item> itemsFor(Caller caller);

    /** Asks the current page's header to look again now, after an action that dealt with an item. */
    static void changed() {
        var ui = UI.getCurrent();
        if (ui != null) ComponentUtil.fireEvent(ui, new Changed(ui));
    }

    /** Fired on the UI by {@link #changed()}. */
    final class Changed extends ComponentEvent<UI> {
        Changed(UI ui) {
            super(ui, false);
        }
    }
}
