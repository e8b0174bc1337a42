package dev.berth.agent.connect;

import dev.berth.agent.protocol.ConnectTarget;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;

/** Remote replicas while the agent has no peer link: every backend on another host refuses, so local ones are tried. */
public final class NoPeerLink implements RemoteReplicas {
    @Override
    public ByteChannel open(ConnectTarget.Backend backend, String port, String consumerApp, Duration timeout) throws IOException {
        throw new IOException("no peer link to host " + backend.hostId() + ": this agent reaches replicas on its own host only");
    }
}
