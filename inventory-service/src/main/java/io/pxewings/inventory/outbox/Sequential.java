package io.pxewings.inventory.outbox;

import java.util.List;
import java.util.function.Function;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Runs one reactive step per item, one after another, as a reactive session requires (no
 * concurrent operations on it). Unlike a loop of flatMaps, thousands of items do not nest
 * thousands of subscriptions.
 */
public final class Sequential {

    private Sequential() {
    }

    public static <T> Uni<Void> each(List<T> items, Function<T, Uni<Void>> step) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // A Uni<Void> emits null, which a Multi skips; the count of steps is what is left to collect.
        Multi<T> multi = Multi.createFrom().iterable(items);
        return multi.onItem().<Void>transformToUniAndConcatenate(item -> step.apply(item)).collect().asList()
                .replaceWithVoid();
    }
}
