package dev.berth.platform.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A request body that counts while it is read: one byte past the area's limit ends the read with
 * {@link BodyTooLargeException}, whatever the request said (or did not say) about its length.
 * Each read takes room in the {@link BodyBudget} first and keeps what it read until
 * {@link #release()}.
 */
final class CappedInputStream extends ServletInputStream {
    private final ServletInputStream in;
    private final BodyArea area;
    private final BodyBudget budget;
    private final long declared;
    private long count;
    private long held;

    /** @param declared the request's Content-Length, or -1: a body that says it is small takes only that much room */
    CappedInputStream(ServletInputStream in, BodyArea area, BodyBudget budget, long declared) {
        this.in = in;
        this.declared = declared;
        this.area = area;
        this.budget = budget;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (count > area.limit()) throw new BodyTooLargeException(area.tooLarge(-1));
        // One byte beyond the limit is enough to know the body is too large.
        long room = declared >= 0 ? Math.min(area.limit(), declared) : area.limit();
        int want = (int) Math.max(1, Math.min(len, room + 1 - count));
        try {
            if (!budget.take(want)) {
                throw new BodyBudgetExhaustedException("the platform is reading too many request bodies at once; try again shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to read the request body");
        }
        int n;
        try {
            n = in.read(b, off, want);
        } catch (IOException | RuntimeException e) {
            budget.give(want);
            throw e;
        }
        int kept = Math.max(n, 0);
        budget.give(want - kept);
        held += kept;
        count += kept;
        if (count > area.limit()) throw new BodyTooLargeException(area.tooLarge(-1));
        return n;
    }

    /** Gives back the room the bytes read so far took; the request is over. */
    void release() {
        budget.give((int) held);
        held = 0;
    }

    @Override
    public boolean isFinished() {
        return in.isFinished();
    }

    @Override
    public boolean isReady() {
        return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
        in.setReadListener(listener);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }
}
