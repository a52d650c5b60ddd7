package dev.enphaseetl.auth;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Captures every log record of the JVM (root logger, level ALL) as text: message, parameters, formatted, stack. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> texts = new CopyOnWriteArrayList<>();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Level before;
    private final SimpleFormatter formatter = new SimpleFormatter();

    public LogCapture() {
        setLevel(Level.ALL);
        before = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord r) {
        records.add(r);
        StringBuilder b = new StringBuilder();
        b.append(r.getLoggerName()).append(' ').append(r.getLevel()).append(' ').append(r.getMessage());
        if (r.getParameters() != null) {
            for (Object p : r.getParameters()) {
                b.append(" | ").append(p);
            }
        }
        try {
            b.append(" | ").append(formatter.format(r));
        } catch (RuntimeException e) {
            b.append(" | unformattable");
        }
        if (r.getThrown() != null) {
            StringWriter w = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(w));
            b.append(" | ").append(w);
        }
        texts.add(b.toString());
    }

    public List<String> texts() {
        return texts;
    }

    public List<String> messagesAt(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() == level.intValue())
                .map(r -> formatter.formatMessage(r)).toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        root.removeHandler(this);
        root.setLevel(before);
    }
}
