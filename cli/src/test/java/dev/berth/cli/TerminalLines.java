package dev.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;

/** Splits what a command writes into lines, as a terminal shows them, for a test to take one by one. */
final class TerminalLines extends OutputStream {
    private final BlockingQueue<String> lines;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    TerminalLines(BlockingQueue<String> lines) {
        this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(line.toString(java.nio.charset.StandardCharsets.UTF_8));
            line.reset();
        } else {
            line.write(b);
        }
    }
}
