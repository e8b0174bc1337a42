/**
 * The dashboard's security chain: session sign-in through the Vaadin login view, with CSRF on the
 * login form. Kept apart from the machine-facing chains because it is the one that needs Vaadin.
 */
package dev.berth.platform.web.security.ui;
