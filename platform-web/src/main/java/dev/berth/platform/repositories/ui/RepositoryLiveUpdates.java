package dev.berth.platform.repositories.ui;

import dev.berth.platform.repositories.RepositorySynced;
import dev.berth.platform.ui.LiveUpdates;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** Tells open repository views that a fetch started or ended: topic {@code repository:TEAM/NAME}. */
@Component
class RepositoryLiveUpdates {
    private final LiveUpdates live;

    RepositoryLiveUpdates(LiveUpdates live) {
        this.live = live;
    }

    static String topic(String team, String repository) {
        return "repository:" + team + "/" + repository;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(RepositorySynced event) {
        live.changed(new LiveUpdates.Change(topic(event.team(), event.repository())));
    }
}
