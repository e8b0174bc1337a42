package dev.berth.platform.deployments;

import dev.berth.platform.cluster.ClusterNotices;
import dev.berth.platform.cluster.RemoteChange;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Wakes waiting long-polls when some host's generation moved: at once for a move on this instance
 * (which also tells the other instances, {@link ClusterNotices}), and when another instance says it
 * moved one ({@link RemoteChange}). Waiters still re-check the database now and then
 * ({@link Assignments}), in case a notice was lost.
 */
@Component
public class AssignmentSignals {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ClusterNotices cluster;
    private long version;

    public AssignmentSignals(ClusterNotices cluster) {
        this.cluster = cluster;
    }

    /** Called after a commit that moved some host's generation. */
    public void changed() {
        cluster.generationMoved();
        wake();
    }

    /** Another instance moved some host's generation, or may have while its notices were lost. */
    @EventListener
    void on(RemoteChange remote) {
        if (remote.generationMayHaveMoved()) wake();
    }

    private void wake() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long version() {
        lock.lock();
        try {
            return version;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@link #changed()} is called after {@code seen} was read, or {@code most} passes. */
    void await(long seen, Duration most) throws InterruptedException {
        long nanos = most.toNanos();
        lock.lock();
        try {
            while (version == seen && nanos > 0) nanos = changed.awaitNanos(nanos);
        } finally {
            lock.unlock();
        }
    }
}
