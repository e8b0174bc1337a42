package dev.berth.platform.audit.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.badge.BadgeVariant;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.grid.dataview.GridLazyDataView;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.AttachmentType;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.masterdetaillayout.MasterDetailLayout;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.data.provider.Query;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.streams.DownloadEvent;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.access.Permission;
import dev.berth.platform.ui.MenuAudience;
import dev.berth.platform.audit.AuditChain;
import dev.berth.platform.audit.AuditEvent;
import dev.berth.platform.audit.AuditExport;
import dev.berth.platform.audit.AuditQuery;
import dev.berth.platform.audit.AuditService;
import dev.berth.platform.audit.ChainedEvent;
import dev.berth.platform.problem.Problem;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.access.RequestOrigin;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import jakarta.annotation.security.PermitAll;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

/**
 * The audit log, newest first, paged from the database as the grid scrolls. Filters narrow it,
 * a row opens every field in a side panel, exports stream the filtered set, and platform admins
 * can verify the whole hash chain.
 */
@Route("audit")
@Menu(title = "Audit", order = 5, icon = "vaadin:list")
@MenuAudience({Permission.READ_ALL_AUDIT, Permission.READ_TEAM_AUDIT})
@PageTitle("Audit log · Berth")
@PermitAll
public class AuditView extends VerticalLayout {
    private final transient AuditService audit;
    private final transient CallerResolver callers;
    private final Grid<ChainedEvent> grid = new Grid<>();
    private final MasterDetailLayout layout = new MasterDetailLayout();
    private final Badge verifyResult = new Badge();
    // Read by export downloads, which run in their own request rather than under the UI's lock.
    private volatile AuditQuery query = AuditQuery.all();

    public AuditView(AuditService audit, CallerResolver callers) {
        this.audit = audit;
        this.callers = callers;
        setSizeFull();
        var heading = new H2("Audit log");
        heading.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.XLARGE);
        var caller = callers.current();
        if (!audit.canRead(caller)) {
            var denied = new Paragraph("The audit log is open to platform admins and to admins of a team, who see"
                    + " their team's events. Ask a platform admin if you need access.");
            denied.setId("audit-denied");
            add(heading, denied);
            return;
        }

        var header = new HorizontalLayout(heading, exportLink(AuditExport.Format.CSV, "Export CSV"),
                exportLink(AuditExport.Format.JSON_LINES, "Export JSON Lines"));
        header.setWidthFull();
        header.setAlignItems(FlexComponent.Alignment.CENTER);
        heading.addClassNames(LumoUtility.Margin.End.AUTO);
        if (caller.platformAdmin()) {
            var verify = new Button("Verify chain", VaadinIcon.CHECK_CIRCLE_O.create(), e -> verify());
            verify.setId("verify-chain");
            verifyResult.setId("verify-result");
            verifyResult.setVisible(false);
            header.add(verifyResult, verify);
        }

        var filters = new AuditFilters();
        filters.addChangeListener(e -> {
            // Said once here; the grid's fetches below then quietly show nothing for a refused filter.
            try {
                audit.visibleTo(callers.current(), e.query());
            } catch (Problem p) {
                Notices.problem(p);
            }
            query = e.query();
            closeDetail();
            grid.getDataProvider().refreshAll();
        });

        configureGrid();
        layout.setMaster(grid);
        // A drawer over the grid: next to it, seven columns would not fit on a laptop screen.
        layout.setDetailSize("28rem");
        layout.setForceOverlay(true);
        layout.setSizeFull();
        layout.setMinHeight("0");
        layout.addBackdropClickListener(e -> closeDetail());
        layout.addDetailEscapePressListener(e -> closeDetail());
        add(header, filters, layout);
        setFlexGrow(1, layout);
    }

    private void configureGrid() {
        grid.setId("audit-grid");
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(ChainedEvent::seq).setHeader("Seq").setWidth("5rem").setFlexGrow(0);
        grid.addColumn(r -> Timestamps.format(r.event().time())).setHeader("Time (UTC)").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(r -> r.event().actor().name()).setHeader("Actor");
        grid.addColumn(r -> r.event().action()).setHeader("Action");
        grid.addColumn(r -> r.event().target()).setHeader("Target");
        grid.addColumn(r -> r.event().team()).setHeader("Team");
        grid.addComponentColumn(r -> outcome(r.event().outcome())).setHeader("Outcome").setAutoWidth(true).setFlexGrow(0);
        grid.setEmptyStateText("No audit events match these filters.");
        GridLazyDataView<ChainedEvent> data = grid.setItems(this::page, this::count);
        data.setIdentifierProvider(ChainedEvent::seq);
        grid.asSingleSelect().addValueChangeListener(e -> {
            if (e.getValue() == null) {
                layout.setDetail(null);
                return;
            }
            var detail = new AuditDetail(e.getValue());
            detail.addCloseListener(close -> closeDetail());
            layout.setDetail(detail);
        });
    }

    private Stream<ChainedEvent> page(Query<ChainedEvent, Void> page) {
        try {
            return audit.page(callers.current(), query, page.getOffset(), page.getLimit()).stream();
        } catch (Problem p) {
            return Stream.empty();
        }
    }

    private int count(Query<ChainedEvent, Void> page) {
        try {
            return (int) Math.min(Integer.MAX_VALUE, audit.count(callers.current(), query));
        } catch (Problem p) {
            return 0;
        }
    }

    private static Component outcome(AuditEvent.Outcome outcome) {
        var badge = new Badge(outcome.name().toLowerCase());
        badge.addThemeVariants(BadgeVariant.SMALL, switch (outcome) {
            case SUCCESS -> BadgeVariant.SUCCESS;
            case FAILURE -> BadgeVariant.ERROR;
            case DENIED -> BadgeVariant.WARNING;
        });
        return badge;
    }

    private void closeDetail() {
        grid.asSingleSelect().clear();
        layout.setDetail(null);
    }

    /** A link styled as a button; the download streams straight from the database to the response. */
    private Anchor exportLink(AuditExport.Format format, String label) {
        var anchor = new Anchor(event -> export(event, format), AttachmentType.DOWNLOAD, "");
        anchor.setId("export-" + format.extension());
        var button = new Button(label, VaadinIcon.DOWNLOAD_ALT.create());
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        button.setTabIndex(-1); // the link takes focus, not the button inside it
        anchor.add(button);
        return anchor;
    }

    private void export(DownloadEvent event, AuditExport.Format format) throws IOException {
        var filter = query;
        event.setFileName("berth-audit." + format.extension());
        event.setContentType(format.mediaType + ";charset=UTF-8");
        try (var out = new BufferedWriter(new OutputStreamWriter(event.getOutputStream(), StandardCharsets.UTF_8))) {
            try {
                audit.export(callers.current(), filter, format, out);
            } catch (Problem p) {
                event.getResponse().setStatus(p.status());
                out.write(p.getMessage());
            }
        }
    }

    private void verify() {
        try {
            show(audit.verify(callers.current(), RequestOrigin.current()));
            grid.getDataProvider().refreshAll(); // the check itself is a new event
        } catch (Problem p) {
            Notices.problem(p);
        }
    }

    private void show(AuditChain.VerifyResult result) {
        verifyResult.removeThemeVariants(BadgeVariant.SUCCESS, BadgeVariant.ERROR);
        if (result.intact()) {
            verifyResult.setText("Chain intact: " + result.checked() + " events checked");
            verifyResult.addThemeVariants(BadgeVariant.SUCCESS);
        } else {
            var broken = result.firstBroken().orElseThrow();
            verifyResult.setText("Chain broken at #" + broken.seq() + ": " + broken.reason());
            verifyResult.addThemeVariants(BadgeVariant.ERROR);
        }
        verifyResult.setVisible(true);
    }
}
