package dev.enphaseetl.simulator;

/** Stateless, deterministic pseudo-random numbers: the same (seed, keys) always give the same value. */
final class SimRandom {

    private SimRandom() {}

    /** SplitMix64 finalizer over the seed and keys. */
    static long hash(long seed, long... keys) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long k : keys) {
            h = mix(h + k * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
        }
        return h;
    }

    /** A value in [0, 1). */
    static double unit(long seed, long... keys) {
        return (hash(seed, keys) >>> 11) * 0x1.0p-53;
    }

    /** A value in [from, to). */
    static double between(long seed, double from, double to, long... keys) {
        return from + (to - from) * unit(seed, keys);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
