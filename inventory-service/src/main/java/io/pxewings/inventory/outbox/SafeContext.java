package io.pxewings.inventory.outbox;

import java.util.function.Consumer;
import java.util.function.Function;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs background database work (the relay, the metrics refresh) the way Quarkus runs a request:
 * on a new duplicated Vert.x context marked safe, which Hibernate Reactive requires.
 */
public final class SafeContext {

    private SafeContext() {
    }

    public static <T> void run(Vertx vertx, Function<Context, Uni<T>> work, Consumer<T> done, Consumer<Throwable> failed) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(v -> work.apply(context).subscribe().with(done, failed));
    }
}
