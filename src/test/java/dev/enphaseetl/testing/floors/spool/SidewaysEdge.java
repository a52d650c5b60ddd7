package dev.enphaseetl.testing.floors.spool;

import dev.enphaseetl.testing.floors.gateway.Middle;

/** A synthetic sideways import for {@code ArchitectureTest}: spool using gateway, a package on the same floor. */
public final class SidewaysEdge {

    public static String name() {
        return Middle.name();
    }
}
