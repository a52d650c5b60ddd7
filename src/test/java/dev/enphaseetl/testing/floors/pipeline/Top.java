package dev.enphaseetl.testing.floors.pipeline;

import dev.enphaseetl.testing.floors.gateway.Middle;

/** A class on a high floor of the {@code ArchitectureTest} fixture; it uses a lower floor, which is allowed. */
public final class Top {

    public static String name() {
        return Middle.name() + " < top";
    }
}
