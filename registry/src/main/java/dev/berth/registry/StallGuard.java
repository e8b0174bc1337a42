package dev.berth.registry;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that delivers no data for {@code idle}, so a stalled connection fails
 * (and is retried) instead of hanging: the JDK client has no read timeout for bodies.
 */
final class StallGuard extends FilterInputStream {

    private final Duration idle;
    private final ScheduledFuture<?> check;
    private volatile long lastData = System.nanoTime();
    private volatile boolean stalled;

    StallGuard(InputStream in, Duration idle, ScheduledExecutorService timer) {
        super(in);
        this.idle = idle;
        long period = Math.max(1, idle.toNanos() / 4);
        this.check = timer.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.NANOSECONDS);
    }

    private void checkIdle() {
        if (System.nanoTime() - lastData > idle.toNanos()) {
            stalled = true;
            check.cancel(false);
            try {
                in.close(); // unblocks the reading thread with an IOException
            } catch (IOException ignored) {
                // closing is all that is wanted
            }
        }
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            lastData = System.nanoTime();
            return b;
        } catch (IOException e) {
            throw stalled ? stalledException(e) : e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = super.read(b, off, len);
            lastData = System.nanoTime();
            return n;
        } catch (IOException e) {
            throw stalled ? stalledException(e) : e;
        }
    }

    private IOException stalledException(IOException cause) {
        return new IOException("connection stalled: no data for " + idle.toMillis() + " ms", cause);
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }
}
