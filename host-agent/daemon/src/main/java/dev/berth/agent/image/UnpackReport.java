package dev.berth.agent.image;

import java.util.List;

/**
 * What applying one layer did.
 *
 * @param entries     tar entries read
 * @param bytes       bytes of regular file content written
 * @param skipped     entries left out, each "path: why" (device nodes, FIFOs, aufs metadata)
 * @param neutralised entries changed to be safe, each "path: what" (setuid stripped, fixups)
 */
public record UnpackReport(long entries, long bytes, List<String> skipped, List<String> neutralised) {
    public UnpackReport {
        skipped = List.copyOf(skipped);
        neutralised = List.copyOf(neutralised);
    }
}
