package io.pxewings.events.image;

/**
 * An image was published, deprecated, yanked or deleted: the image after the change.
 *
 * @param image  the image as the catalog holds it now (as it was, for a deletion)
 * @param reason why, as the operator said (deprecate, yank), or null
 * @param by     who, or null
 */
public record ImageChanged(ImageSnapshot image, String reason, String by) {
}
