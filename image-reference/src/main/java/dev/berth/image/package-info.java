/**
 * Image references ({@code [host[:port]/]path[:tag][@sha256:hex]}): parsed once, here, with
 * Docker's defaults. Depends on nothing but the JDK.
 */
package dev.berth.image;
