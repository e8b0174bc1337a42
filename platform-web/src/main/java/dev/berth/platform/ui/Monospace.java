package dev.berth.platform.ui;

import com.vaadin.flow.component.HasStyle;

/** Ids, hashes and tokens read best in a fixed-width font; Lumo's utility classes have none. */
public final class Monospace {
    private Monospace() {
    }

    public static <T extends HasStyle> T apply(T component) {
        component.getStyle().set("font-family", "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace");
        return component;
    }
}
