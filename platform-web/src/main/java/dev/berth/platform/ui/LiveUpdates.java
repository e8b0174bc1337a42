package dev.berth.platform.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import dev.berth.platform.cluster.ClusterNotices;
import dev.berth.platform.cluster.RemoteChange;
import dev.berth.platform.deployments.AppChanged;
import dev.berth.platform.hosts.HeartbeatRecorded;
import dev.berth.platform.logs.LogsArrived;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Pushes fresh data into open views without a reload. A view subscribes while it is attached with a
 * refresh action and a filter saying which changes concern it; a change on this instance
 * ({@link #changed}) refreshes the concerned views at once through Vaadin push and travels to the
 * other platform instances on the same database ({@link ClusterNotices}), whose changes arrive as
 * {@link RemoteChange}s and refresh the views concerned here. Every view is also refreshed on a
 * slow tick, a safety net only.
 */
@org.springframework.stereotype.Component
public class LiveUpdates implements DisposableBean {
    /**
     * A safety net only: changes, this instance's and the others', arrive as they happen; the tick
     * covers what no notice names (a view showing time passing) and anything lost on the way.
     */
    static final Duration TICK = Duration.ofSeconds(30);

    /** What changed: a topic such as {@code app:acme/web} or {@code logs:acme.web.3.0}. */
    public record Change(String topic) {
    }

    /** The viewer's security context travels with the subscription: refreshes run outside any request. */
    private record Subscriber(UI ui, Predicate<Change> concerns, Runnable refresh, SecurityContext viewer) {
    }

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("live-updates").daemon().unstarted(r));

    private final ClusterNotices cluster;

    public LiveUpdates(ClusterNotices cluster) {
        this.cluster = cluster;
        ticker.scheduleWithFixedDelay(() -> subscribers.forEach(LiveUpdates::refresh),
                TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Refreshes {@code owner} while it is attached: at once for each change it is concerned with, and
     * on every tick.
     *
     * @return removes the subscription; it also ends when {@code owner} is detached
     */
    public Registration subscribe(Component owner, Predicate<Change> concerns, Runnable refresh) {
        Registration[] registrations = new Registration[2];
        SecurityContext viewer = SecurityContextHolder.getContext();
        Runnable attach = () -> owner.getUI().ifPresent(ui -> {
            var s = new Subscriber(ui, concerns, refresh, viewer);
            subscribers.add(s);
            registrations[1] = () -> subscribers.remove(s);
        });
        if (owner.isAttached()) attach.run();
        Registration onAttach = owner.addAttachListener(e -> attach.run());
        Registration onDetach = owner.addDetachListener(e -> {
            if (registrations[1] != null) registrations[1].remove();
        });
        registrations[0] = () -> {
            onAttach.remove();
            onDetach.remove();
            if (registrations[1] != null) registrations[1].remove();
        };
        return registrations[0];
    }

    /** A deployment, replica or secret of the app changed on this instance. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(AppChanged event) {
        changed(new Change("app:" + event.team() + "/" + event.app()));
    }

    /** A host reported; its containers' states may have moved. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(HeartbeatRecorded event) {
        changed(new Change("host:" + event.hostId()));
    }

    /** A host started or stopped draining, or was removed. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(dev.berth.platform.hosts.HostStandingChanged event) {
        changed(new Change("host:" + event.hostId()));
    }

    /** New output of a container arrived on this instance. */
    @TransactionalEventListener(fallbackExecution = true)
    void on(LogsArrived event) {
        changed(new Change("logs:" + event.container()));
    }

    /**
     * Tells the views concerned with {@code change} to refresh now, here and on the other platform
     * instances. Call it after the change committed.
     */
    public void changed(Change change) {
        for (Subscriber s : subscribers) {
            if (s.concerns().test(change)) refresh(s);
        }
        cluster.changed(change.topic());
    }

    /** Another instance changed something: each view concerned with any of it refreshes once. */
    @EventListener
    void on(RemoteChange remote) {
        switch (remote) {
            case RemoteChange.Everything everything -> subscribers.forEach(LiveUpdates::refresh);
            case RemoteChange.Changes changes -> {
                for (Subscriber s : subscribers) {
                    if (changes.topics().stream().map(Change::new).anyMatch(s.concerns())) refresh(s);
                }
            }
        }
    }

    private static void refresh(Subscriber s) {
        if (!s.ui().isAttached()) return;
        try {
            s.ui().access(() -> {
                var previous = SecurityContextHolder.getContext();
                SecurityContextHolder.setContext(s.viewer());
                try {
                    s.refresh().run();
                } catch (RuntimeException e) {
                    // A refresh that fails (the viewer lost access, the database hiccuped) leaves the view as it was.
                    System.getLogger(LiveUpdates.class.getName()).log(System.Logger.Level.DEBUG, "live refresh failed", e);
                } finally {
                    SecurityContextHolder.setContext(previous);
                }
            });
        } catch (com.vaadin.flow.component.UIDetachedException gone) {
            // closed meanwhile; its detach listener removes it
        }
    }

    @Override
    public void destroy() {
        ticker.shutdownNow();
    }
}
