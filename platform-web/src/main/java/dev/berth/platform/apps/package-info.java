/**
 * Apps as people see them: each app's revision, replicas and deployment timeline, the differences
 * between what should run and what does, and rollback. Records for the API and the dashboard.
 */
package dev.berth.platform.apps;
