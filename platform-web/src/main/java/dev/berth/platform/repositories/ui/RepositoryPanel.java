package dev.berth.platform.repositories.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.theme.lumo.LumoUtility;
import dev.berth.platform.repositories.ExternalSync;
import dev.berth.platform.repositories.Repository;
import dev.berth.platform.repositories.RepositoryService;
import dev.berth.platform.repositories.Revision;
import dev.berth.platform.security.CallerResolver;
import dev.berth.platform.ui.LiveUpdates;
import dev.berth.platform.ui.Monospace;
import dev.berth.platform.ui.Notices;
import dev.berth.platform.ui.Timestamps;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** One repository: how to push to it, and the revisions its deploy branch has recorded. */
class RepositoryPanel extends VerticalLayout {
    private final transient RepositoryService repositories;
    private final transient CallerResolver callers;
    private final H3 title = new H3();
    private final TextField cloneUrl = new TextField("Clone URL");
    private final Pre instructions = new Pre();
    private final Grid<Revision> revisions = new Grid<>();
    private final Paragraph nothingSelected = new Paragraph("Select a repository to see how to push to it and its revisions.");

    private final transient Consumer<Repository> changed;
    private final transient LiveUpdates live;
    private Registration following;

    RepositoryPanel(RepositoryService repositories, CallerResolver callers, LiveUpdates live, Consumer<Repository> changed) {
        this.live = live;
        this.repositories = repositories;
        this.callers = callers;
        this.changed = changed;
        setPadding(false);
        title.addClassNames(LumoUtility.Margin.NONE, LumoUtility.FontSize.LARGE);
        cloneUrl.setId("clone-url");
        cloneUrl.setReadOnly(true);
        cloneUrl.setWidthFull();
        Monospace.apply(cloneUrl);
        instructions.setId("first-push");
        instructions.addClassNames(LumoUtility.FontSize.SMALL, LumoUtility.Padding.SMALL, LumoUtility.Background.CONTRAST_5);

        revisions.setId("revisions-grid");
        revisions.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        revisions.addColumn(Revision::id).setHeader("#").setAutoWidth(true).setFlexGrow(0);
        revisions.addComponentColumn(r -> Monospace.apply(new Span(r.commit().substring(0, 12)))).setHeader("Commit").setAutoWidth(true);
        revisions.addColumn(Revision::subject).setHeader("Message").setFlexGrow(2);
        revisions.addColumn(Revision::author).setHeader("Author").setFlexGrow(1);
        revisions.addColumn(Revision::pushedBy).setHeader("Pushed by").setAutoWidth(true);
        revisions.addColumn(Revision::signature).setHeader("Signature").setAutoWidth(true);
        revisions.addColumn(r -> r.images().stream().map(i -> i.app() + " → " + i.digest().substring(0, 19))
                .collect(Collectors.joining(", "))).setHeader("Pinned images").setFlexGrow(2);
        revisions.addColumn(r -> Timestamps.format(r.createdAt())).setHeader("Recorded (UTC)").setAutoWidth(true);
        show(null);
    }

    void show(Repository repository) {
        removeAll();
        if (following != null) {
            following.remove();
            following = null;
        }
        if (repository == null) {
            add(nothingSelected);
            return;
        }
        title.setText(repository.team() + "/" + repository.name());
        if (repository.remote() != null) {
            showExternal(repository);
            return;
        }
        revisions.setEmptyStateText("No revisions yet: push a berth.yaml to the deploy branch.");
        cloneUrl.setValue(repository.cloneUrl());
        instructions.setText("""
                # first push: a berth.yaml on '%s' deploys
                git clone %s
                cd %s
                cat > berth.yaml <<'YAML'
                apiVersion: berth/v1
                apps:
                  web:
                    image: registry.example.com/acme/web:1.4
                YAML
                git add berth.yaml && git commit -m "Deploy web"
                git push origin HEAD:%s
                # sign in with your username and password, or an API token as the password"""
                .formatted(repository.deployBranch(), repository.cloneUrl(), repository.name(), repository.deployBranch()));
        var recorded = repositories.revisionsOfRepository(callers.current(), repository.team(), repository.name(), 100);
        revisions.setItems(recorded);
        // The steps matter until the first push; afterwards the revisions do, and the steps fold away.
        var firstPush = new Details("How to push", instructions);
        firstPush.setId("first-push-details");
        firstPush.setOpened(recorded.isEmpty());
        add(title, cloneUrl, firstPush, new SigningPanel(repositories, callers, repository), revisionsHeader(repository, recorded), revisions);
        setFlexGrow(1, revisions);
    }

    /** The revisions heading, with a choice of one app's history among the apps these revisions define. */
    private HorizontalLayout revisionsHeader(Repository repository, java.util.List<Revision> recorded) {
        var heading = new H3("Revisions");
        heading.addClassNames(LumoUtility.Margin.Top.MEDIUM, LumoUtility.FontSize.MEDIUM);
        var app = new com.vaadin.flow.component.combobox.ComboBox<String>();
        app.setId("revisions-app");
        app.setPlaceholder("All apps");
        app.setClearButtonVisible(true);
        app.setItems(recorded.stream().flatMap(r -> r.images().stream()).map(Revision.PinnedImage::app).distinct().sorted().toList());
        app.addValueChangeListener(e -> revisions.setItems(e.getValue() == null ? recorded
                : repositories.revisionsOfApp(callers.current(), repository.team(), e.getValue(), 100)));
        var header = new HorizontalLayout(heading, app);
        header.setAlignItems(com.vaadin.flow.component.orderedlayout.FlexComponent.Alignment.BASELINE);
        return header;
    }

    /** An external repository: where it comes from, how its last fetch went, and a way to fetch now. */
    private void showExternal(Repository repository) {
        var remote = repository.remote();
        var source = new TextField("Fetched from");
        source.setId("external-source");
        source.setValue(remote.url() + " (" + repository.deployBranch() + ", " + repository.definitionPath() + ")");
        source.setReadOnly(true);
        source.setWidthFull();
        var status = new SyncStatus();
        status.show(remote.sync());
        var syncNow = new Button("Sync now", e -> {
            var result = repositories.syncNow(callers.current(), repository.team(), repository.name());
            switch (result) {
                case ExternalSync.Recorded r -> Notices.done("Revision " + r.revision() + " recorded");
                case ExternalSync.Unchanged u -> Notices.done("Up to date at " + u.commit().substring(0, 12));
                case ExternalSync.Failed f -> Notices.done("The fetch failed; see the error below");
            }
            changed.accept(repository);
        });
        syncNow.setId("sync-now");
        var webhook = new TextField("Webhook URL");
        webhook.setId("webhook-url");
        webhook.setValue(remote.webhookUrl());
        webhook.setReadOnly(true);
        webhook.setWidthFull();
        Monospace.apply(webhook);
        var recorded = repositories.revisionsOfRepository(callers.current(), repository.team(), repository.name(), 100);
        revisions.setItems(recorded);
        var syncLine = new HorizontalLayout(status, syncNow);
        syncLine.setWidthFull();
        syncLine.expand(status);
        revisions.setEmptyStateText("No revisions yet: each good commit fetched from the branch records one.");
        var header = new HorizontalLayout[] {revisionsHeader(repository, recorded)};
        add(title, source, syncLine, webhook, new SigningPanel(repositories, callers, repository), header[0], revisions);
        setFlexGrow(1, revisions);
        // Progress shows as it happens: at once for fetches on this instance, within a tick for others.
        Long[] shown = {remote.sync().revision()};
        following = live.subscribe(this, change -> change.topic().equals(RepositoryLiveUpdates.topic(repository.team(), repository.name())),
                () -> {
                    var sync = repositories.get(callers.current(), repository.team(), repository.name()).remote().sync();
                    status.show(sync);
                    if (!java.util.Objects.equals(sync.revision(), shown[0])) {
                        // A new revision: the list and its app filter start over.
                        shown[0] = sync.revision();
                        var fresh = repositories.revisionsOfRepository(callers.current(), repository.team(), repository.name(), 100);
                        revisions.setItems(fresh);
                        var replacement = revisionsHeader(repository, fresh);
                        replace(header[0], replacement);
                        header[0] = replacement;
                    }
                });
    }
}
