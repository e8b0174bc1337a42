/**
 * App secrets: values set through the API or dashboard, sealed with the platform's key and bound to
 * their team, app and name, handed only to agents that run containers referencing them.
 */
package dev.berth.platform.secrets;
