package dev.berth.platform.apps.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.function.SerializableSupplier;

/**
 * A tab's content built when first asked for: the App page has seven tabs and a visit mostly looks
 * at the first, while building a panel (grids, fields, subscriptions) costs as much as reading it.
 */
final class LazyPanel<P extends Component> extends Div {
    private final SerializableSupplier<P> build;
    private P panel;

    LazyPanel(SerializableSupplier<P> build) {
        this.build = build;
        setSizeFull();
    }

    /** The panel, built and shown here on the first call. */
    P get() {
        if (panel == null) {
            panel = build.get();
            add(panel);
        }
        return panel;
    }

    boolean built() {
        return panel != null;
    }
}
