/**
 * Who is calling, for the features that act for a caller: the principals of a password sign-in
 * and of an API token, and {@link dev.berth.platform.security.CallerResolver}, which turns either
 * into an {@link dev.berth.platform.access.Caller} with current memberships. Also the audit of
 * unauthenticated failures, bounded against floods. The filter chains that create the principals
 * live at the web edge, {@code dev.berth.platform.web.security}.
 */
package dev.berth.platform.security;
