package dev.berth.agent.bundle;

import java.util.List;

/**
 * Where a networked container's start waits for the agent: runc runs this {@code createRuntime}
 * hook once the container's namespaces exist and before its process runs. The hook hands runc's
 * state (the init's pid) to the agent through the {@code request} FIFO and waits for a line on the
 * {@code reply} FIFO: {@code ok} lets the start go on, anything else (or the timeout, when no agent
 * answers) makes runc abort it. Only shell builtins run, so runc's kill on timeout leaves no child.
 *
 * @param request FIFO the hook writes runc's state to, one line
 * @param reply FIFO the agent answers on
 * @param resolvConf the host file bind-mounted read-only onto the container's /etc/resolv.conf
 * @param timeoutSeconds how long runc lets the hook wait
 */
public record NetworkHook(String request, String reply, String resolvConf, int timeoutSeconds) {
    /**
     * The hook's script: {@code $1} is the request FIFO, {@code $2} the reply FIFO, both the agent's
     * own paths; nothing else is interpolated. The reply FIFO is opened read-write first, so the
     * agent's answer is kept even if it comes before the read.
     */
    public static final String SCRIPT = "exec 3<>\"$2\" || exit 1; read -r state || [ -n \"$state\" ] || exit 1; "
            + "printf '%s\\n' \"$state\" > \"$1\" || exit 1; read -r answer <&3; "
            + "[ \"$answer\" = ok ] && exit 0; echo \"berth: network setup failed: $answer\" >&2; exit 1";
    /** The shell that runs it. */
    public static final String SHELL = "/bin/sh";
    /** {@code $0} of the script, as runc's errors name it. */
    public static final String NAME = "berth-network-hook";

    public NetworkHook {
        for (String p : List.of(request, reply, resolvConf)) {
            var bad = BundleValidator.cleanAbsolute(p);
            if (bad.isPresent()) throw new IllegalArgumentException("network hook path '" + p + "' " + bad.get());
        }
        if (timeoutSeconds < 1) throw new IllegalArgumentException("the network hook needs a timeout of at least a second");
    }

    /** The OCI hook. */
    OciSpec.Hook hook() {
        return new OciSpec.Hook(SHELL, List.of("sh", "-c", SCRIPT, NAME, request, reply), List.of(), timeoutSeconds);
    }
}
