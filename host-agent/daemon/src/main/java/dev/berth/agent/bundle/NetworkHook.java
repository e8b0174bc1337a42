package dev.berth.agent.bundle;

import java.util.List;

/**
 * A networked container's network: the namespaces the agent makes before runc starts, which the
 * container joins by path, and where its start waits for the agent: runc runs this {@code
 * createRuntime} hook once the container's namespaces exist and before its process runs. The hook
 * hands runc's state to the agent through the {@code request} FIFO (which only bundles of older
 * agents, whose namespace runc made, need: the agent then learns the init's pid from it) and waits
 * for a line on the {@code reply} FIFO: {@code ok} lets the start go on, anything else (or the
 * timeout, when no agent answers) makes runc abort it. Only shell builtins run, so runc's kill on
 * timeout leaves no child.
 *
 * @param request FIFO the hook writes runc's state to, one line
 * @param reply FIFO the agent answers on
 * @param resolvConf the host file bind-mounted read-only onto the container's /etc/resolv.conf
 * @param netns the agent's network namespace for the container (a bind mount of it)
 * @param userns the user namespace that owns it, with the container's id mapping: joined too, so
 *               the container has the same powers over its network as in one runc makes
 * @param timeoutSeconds how long runc lets the hook wait
 */
public record NetworkHook(String request, String reply, String resolvConf, String netns, String userns, int timeoutSeconds) {
    /**
     * The hook's script: {@code $1} is the request FIFO, {@code $2} the reply FIFO, both the agent's
     * own paths; nothing else is interpolated. The reply FIFO is opened read-write first, so the
     * agent's answer is kept even if it comes before the read (the agent holds it open too, so an
     * answer given before the hook runs is kept as well).
     */
    public static final String SCRIPT = "exec 3<>\"$2\" || exit 1; read -r state || [ -n \"$state\" ] || exit 1; "
            + "printf '%s\\n' \"$state\" > \"$1\" || exit 1; read -r answer <&3; "
            + "[ \"$answer\" = ok ] && exit 0; echo \"berth: network setup failed: $answer\" >&2; exit 1";
    /** The shell that runs it. */
    public static final String SHELL = "/bin/sh";
    /** {@code $0} of the script, as runc's errors name it. */
    public static final String NAME = "berth-network-hook";

    public NetworkHook {
        for (String p : List.of(request, reply, resolvConf, netns, userns)) {
            var bad = BundleValidator.cleanAbsolute(p);
            if (bad.isPresent()) throw new IllegalArgumentException("network hook path '" + p + "' " + bad.get());
        }
        if (BundleValidator.under(netns, "/proc") || BundleValidator.under(userns, "/proc")) {
            throw new IllegalArgumentException("the namespaces must be the agent's own, not a process's under /proc");
        }
        if (timeoutSeconds < 1) throw new IllegalArgumentException("the network hook needs a timeout of at least a second");
    }

    /** The OCI hook. */
    OciSpec.Hook hook() {
        return new OciSpec.Hook(SHELL, List.of("sh", "-c", SCRIPT, NAME, request, reply), List.of(), timeoutSeconds);
    }
}
