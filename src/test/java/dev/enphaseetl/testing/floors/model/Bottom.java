package dev.enphaseetl.testing.floors.model;

/** A class on the lowest floor of the {@code ArchitectureTest} fixture. */
public final class Bottom {

    public static String name() {
        return "bottom";
    }
}
