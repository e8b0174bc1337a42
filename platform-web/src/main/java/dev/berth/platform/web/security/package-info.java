/**
 * The security filter chains and the filters in them: host agents, webhooks, the API and its token
 * minting, actuator, API docs, git and the dashboard. The edge imports the features it
 * authenticates for; no feature imports the edge.
 */
package dev.berth.platform.web.security;
