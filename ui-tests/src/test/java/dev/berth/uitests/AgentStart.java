package dev.berth.uitests;

/** An agent for {@link Cluster#startAgents}: its name, port range and daemon options beyond every agent's. */
record AgentStart(String name, String portRange, String... options) {
}
