package dev.berth.agent.runtime;

/**
 * How a container ended: its exit code (128 + signal for a signal), and whether the kernel's
 * OOM killer ended it.
 */
public record ExitStatus(int code, boolean oomKilled) {
    public boolean success() {
        return code == 0;
    }

    @Override
    public String toString() {
        return oomKilled ? "killed: out of memory (exit " + code + ")" : "exited with " + code;
    }
}
