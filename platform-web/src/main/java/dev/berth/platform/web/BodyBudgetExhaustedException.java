package dev.berth.platform.web;

import java.io.IOException;

/** No room was left in the {@link BodyBudget} in time: the platform is busy reading other bodies; 503. */
public final class BodyBudgetExhaustedException extends IOException {
    public BodyBudgetExhaustedException(String message) {
        super(message);
    }

    /** The first of these in {@code e}'s causes, or null. */
    public static BodyBudgetExhaustedException in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BodyBudgetExhaustedException b) return b;
        }
        return null;
    }
}
