/**
 * Failed sign-ins and the lockout they lead to, keyed by source address: the pure
 * {@link dev.berth.platform.lockout.LockoutPolicy}, the throttle that applies it, and its store.
 * Depends on no feature; users (lifting a lockout) and the web edge (signing in) use it.
 */
package dev.berth.platform.lockout;
