package dev.berth.platform.tokens.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.teams.Team;
import dev.berth.platform.teams.TeamService;
import dev.berth.platform.tokens.ApiToken;
import dev.berth.platform.tokens.TokenService;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.PermitAll;
import java.time.Clock;

/** The caller's personal API tokens: create one (its secret shown once), see their use, revoke them. */
@Route("tokens")
@Menu(title = "Tokens", order = 4, icon = "vaadin:key")
@PageTitle("API tokens · Berth")
@PermitAll
public class TokensView extends VerticalLayout {
    private final transient TokenService tokens;
    private final transient TeamService teams;
    private final transient CallerResolver callers;
    /** The platform's clock, so a token shows the status the API would give it. */
    private final transient Clock clock;
    private final Grid<ApiToken> grid = new Grid<>();

    public TokensView(TokenService tokens, TeamService teams, CallerResolver callers, Clock clock) {
        this.clock = clock;
        this.tokens = tokens;
        this.teams = teams;
        this.callers = callers;
        setSizeFull();

        var heading = new H2("API tokens");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var newToken = new Button("New token", VaadinIcon.PLUS.create(), e -> openNewToken());
        newToken.setId("new-token");
        newToken.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        var header = new HorizontalLayout(heading, newToken);
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        header.setJustifyContentMode(FlexComponent.JustifyContentMode.BETWEEN);
        var intro = new Paragraph("Tokens let scripts and CI call the Berth API as you. A token narrowed to a team"
                + " and a role can never do more than that, nor more than you can.");
        intro.addClassNames(LumoUtility.TextColor.SECONDARY, LumoUtility.Margin.NONE);

        grid.setId("tokens-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES);
        grid.addColumn(ApiToken::name).setHeader("Name").setFlexGrow(2);
        grid.addComponentColumn(t -> monospace(t.id())).setHeader("ID").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(t -> t.team() == null ? "any" : t.team()).setHeader("Team");
        grid.addColumn(t -> t.maxRole() == null ? "" : t.maxRole().name()).setHeader("Role");
        grid.addColumn(t -> Timestamps.format(t.createdAt())).setHeader("Created (UTC)").setAutoWidth(true);
        grid.addColumn(t -> t.expiresAt() == null ? "never" : Timestamps.format(t.expiresAt()))
                .setHeader("Expires (UTC)").setAutoWidth(true);
        grid.addColumn(t -> t.lastUsedAt() == null ? "never" : Timestamps.format(t.lastUsedAt()))
                .setHeader("Last used (UTC)").setAutoWidth(true);
        grid.addComponentColumn(this::status).setHeader("Status").setAutoWidth(true);
        grid.addComponentColumn(this::revokeButton).setHeader("").setFlexGrow(0).setWidth("7.5rem");
        grid.setEmptyStateText("You have no API tokens yet. Create one with New token.");

        add(header, intro, grid);
        setFlexGrow(1, grid);
        reload();
    }

    private void reload() {
        grid.setItems(tokens.list(callers.current()));
    }

    private static Component monospace(String text) {
        var span = new Span(text);
        span.addClassNames(LumoUtility.FontSize.SMALL);
        Monospace.apply(span);
        return span;
    }

    private Component status(ApiToken token) {
        var status = token.status(clock.instant());
        var badge = new Badge(status.name().toLowerCase());
        badge.addThemeVariants(switch (status) {
            case ACTIVE -> BadgeVariant.SUCCESS;
            case EXPIRED -> BadgeVariant.WARNING;
            case REVOKED -> BadgeVariant.ERROR;
        });
        return badge;
    }

    private Component revokeButton(ApiToken token) {
        if (token.status(clock.instant()) != ApiToken.Status.ACTIVE) return new Span();
        var revoke = new Button("Revoke", e -> confirmRevoke(token));
        revoke.setId("revoke-" + token.id());
        revoke.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_ERROR, ButtonVariant.LUMO_SMALL);
        return revoke;
    }

    private void openNewToken() {
        var dialog = new NewTokenDialog(teams.list(callers.current()).stream().map(Team::name).toList());
        dialog.addCreateListener(e -> {
            try {
                var issued = tokens.create(callers.current(), e.request(), RequestOrigin.current());
                dialog.close();
                reload();
                new IssuedTokenDialog(issued).open();
            } catch (Problem p) {
                Notices.problem(p);
            }
        });
        dialog.open();
    }

    private void confirmRevoke(ApiToken token) {
        var confirm = new ConfirmDialog("Revoke token '" + token.name() + "'?",
                "Anything still using it will be refused from now on. This cannot be undone.", "Revoke",
                e -> revoke(token));
        confirm.setConfirmButtonTheme("error primary");
        confirm.setCancelable(true);
        confirm.open();
    }

    private void revoke(ApiToken token) {
        try {
            tokens.revoke(callers.current(), token.id(), RequestOrigin.current());
            Notices.done("Token '" + token.name() + "' revoked");
            reload();
        } catch (Problem p) {
            Notices.problem(p);
        }
    }
}
