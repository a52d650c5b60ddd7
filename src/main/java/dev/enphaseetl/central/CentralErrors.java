package dev.enphaseetl.central;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.jboss.logging.Logger;

import dev.enphaseetl.delivery.SinkException;
import dev.enphaseetl.health.ProblemLog;
import dev.enphaseetl.sink.Sinks;

/**
 * The exception handler of the central consumer (routes/35, option {@code exceptionHandler}): Camel calls it after a
 * batch failed and its retries were used up, before the consumer reads the batch again from the committed offsets.
 * Camel's default logs every such cycle; here a sink's failure is left to {@link Sinks} (which logged it once and
 * shows it in health), and any other failure is logged once until a batch gets through ({@link #delivered}).
 */
@ApplicationScoped
@Named("centralErrors")
public class CentralErrors implements ExceptionHandler {

    private final ProblemLog problems = new ProblemLog(Logger.getLogger("dev.enphaseetl.central"));

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public void handleException(String message, Exchange exchange, Throwable exception) {
        Throwable e = exception != null ? exception : exchange == null ? null : exchange.getException();
        if (causedBySink(e)) {
            Logger.getLogger("dev.enphaseetl.central").debugf("Batch failed in a sink, read again: %s",
                    Sinks.reason(e));
            return;
        }
        problems.problem("batch", e == null ? "failure" : e.getClass().getSimpleName(), Logger.Level.WARN,
                "Central batch failed: " + Sinks.reason(e) + "; it is read again from the committed offsets"
                        + " (logged once until a batch gets through)");
    }

    /** Called after a batch was committed. */
    public void delivered() {
        problems.ok("batch", "Central batches get through again");
    }

    static boolean causedBySink(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SinkException) {
                return true;
            }
        }
        return false;
    }
}
