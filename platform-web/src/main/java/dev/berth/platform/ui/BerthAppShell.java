package dev.berth.platform.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.theme.lumo.Lumo;
import com.vaadin.flow.component.dependency.StyleSheet;

@StyleSheet(Lumo.STYLESHEET)
public class BerthAppShell implements AppShellConfigurator {
}
