package io.pxewings.image.blobs;

import java.security.MessageDigest;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A write stream that hashes every buffer on its way to another (the upload's file): a pipe from
 * the request keeps its back-pressure, and the digest is complete when the pipe is.
 */
final class HashingWriteStream implements WriteStream<Buffer> {

    private final WriteStream<Buffer> out;
    private final MessageDigest digest;
    private long written;

    HashingWriteStream(WriteStream<Buffer> out, MessageDigest digest) {
        this.out = out;
        this.digest = digest;
    }

    long written() {
        return written;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        out.exceptionHandler(handler);
        return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (digest != null) {
            digest.update(data.getByteBuf().nioBuffer());
        }
        written += data.length();
        return out.write(data);
    }

    @Override
    public void write(Buffer data, Handler<AsyncResult<Void>> handler) {
        write(data).onComplete(handler);
    }

    @Override
    public Future<Void> end() {
        return out.end();
    }

    @Override
    public void end(Handler<AsyncResult<Void>> handler) {
        end().onComplete(handler);
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        out.setWriteQueueMaxSize(maxSize);
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return out.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        out.drainHandler(handler);
        return this;
    }
}
