/**
 * How long to wait before trying again: {@link dev.berth.backoff.Backoff}, one rule for every
 * retry loop. Depends on nothing but the JDK.
 */
package dev.berth.backoff;
