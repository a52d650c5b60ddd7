package dev.enphaseetl.pipeline;

import java.time.Clock;
import java.util.random.RandomGenerator;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.enphaseetl.config.EnphaseConfig;

/** The pipeline's {@link RetryPlan}, from {@code enphase.poll.retry.*}. */
public class RetryPlans {

    @Produces
    @Singleton
    RetryPlan retryPlan(EnphaseConfig config) {
        EnphaseConfig.PollRetry r = config.poll().retry();
        return new RetryPlan(r.max(), r.initial(), r.maxDelay(), r.window(), Clock.systemUTC(),
                RandomGenerator.getDefault());
    }
}
