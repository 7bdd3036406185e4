package io.pxewings.inventory.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** inventory-service settings under {@code wings.inventory.*}; an invalid value stops the service at start, naming the key. */
@ConfigMapping(prefix = "wings.inventory")
public interface InventoryConfig {

    /** Largest page a list request may ask for. */
    @WithDefault("500")
    @Min(1) @Max(10000)
    int maxPageSize();

    /** Most rows one import may carry; a bigger file is refused whole (split it). */
    @WithDefault("50000")
    @Min(1) @Max(1000000)
    int importMaxRows();
}
