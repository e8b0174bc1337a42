package dev.berth.platform.deployments;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Wakes this instance's waiting long-polls when some host's generation moved here. Another
 * platform instance's changes are not signalled; waiters re-check the database often enough
 * to notice them (see {@link Assignments}).
 */
@Component
public class AssignmentSignals {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long version;

    /** Called after a commit that moved some host's generation. */
    public void changed() {
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
