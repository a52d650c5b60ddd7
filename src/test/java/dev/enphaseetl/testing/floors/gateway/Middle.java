package dev.enphaseetl.testing.floors.gateway;

import dev.enphaseetl.testing.floors.model.Bottom;

/** A class of the {@code ArchitectureTest} fixture whose only import points down. */
public final class Middle {

    public static String name() {
        return Bottom.name() + " < middle";
    }
}
