/**
 * Files that must survive a crash, written one way: {@link dev.berth.atomicfile.AtomicFile}.
 * Depends on nothing but the JDK.
 */
package dev.berth.atomicfile;
