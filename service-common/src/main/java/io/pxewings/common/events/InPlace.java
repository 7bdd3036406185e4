package io.pxewings.common.events;

import java.util.function.Predicate;

import org.jboss.logging.Logger;

/**
 * Tries a consumer's step again, in place, until it succeeds: what a fact needs (the database, the
 * broker) being away for a while must hold the partition, never skip or dead-letter the fact. The
 * wait doubles from 200 ms to 10 s; an exception the step cannot get past by waiting (a bug)
 * propagates at once.
 */
public final class InPlace {

    private static final Logger LOG = Logger.getLogger(InPlace.class);

    /** One try of the step. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws Exception;
    }

    private InPlace() {
    }

    /**
     * @param what      names the step in the log ("12 facts not applied yet")
     * @param transient_ which failures waiting can cure; any other is rethrown (a checked one wrapped)
     */
    public static <T> T retry(String what, Predicate<Exception> transient_, Attempt<T> attempt) throws InterruptedException {
        long wait = 200;
        while (true) {
            try {
                return attempt.run();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!transient_.test(e)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                LOG.warnf("%s (%s): again in %d ms", what, e.getMessage(), wait);
                Thread.sleep(wait);
                wait = Math.min(wait * 2, 10_000);
            }
        }
    }
}
