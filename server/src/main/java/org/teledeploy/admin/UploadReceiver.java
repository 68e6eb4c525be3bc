package org.teledeploy.admin;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives the body of one {@code PUT /api/v1/uploads/{fileName}} chunk by chunk, as the HTTP codec decodes it,
 * into an {@link UploadStore.Upload}. Back-pressure: the connection stops reading while a chunk is being written
 * on the upload thread and resumes when every queued chunk is on disk, so memory holds at most one socket read
 * whatever the upload's size. Past {@code admin.upload.max.size} it gives up (413) and the partial file is
 * deleted. Runs on the connection's event loop only.
 */
final class UploadReceiver {

    /** How the upload ended, told on the event loop. */
    interface Outcome {
        /** Stored whole: answer 201 with this body. */
        void stored(ApiResponse response);

        /**
         * Refused or failed: answer {@code error}.
         *
         * @param bodyEnded whether the last chunk was received (else the rest of the body is still coming)
         */
        void failed(ApiException error, boolean bodyEnded);
    }

    private final Channel channel;
    private final UploadStore.Upload upload;
    private final long maxSize;
    private final Outcome outcome;
    private long received;
    private int writing;
    private boolean over;
    private boolean lastReceived;

    UploadReceiver(Channel channel, UploadStore.Upload upload, long maxSize, Outcome outcome) {
        this.channel = channel;
        this.upload = upload;
        this.maxSize = maxSize;
        this.outcome = outcome;
    }

    /** The next chunk of the body; takes ownership of it. */
    void content(HttpContent content) {
        try {
            boolean last = content instanceof LastHttpContent;
            lastReceived |= last;
            if (over) {
                return;
            }
            if (content.decoderResult().isFailure()) {
                fail(ApiException.badRequest("body: malformed (" + content.decoderResult().cause().getMessage()
                        + ")"));
                return;
            }
            int length = content.content().readableBytes();
            received += length;
            if (received > maxSize) {
                fail(ApiException.tooLarge("upload: over admin.upload.max.size (" + maxSize + " bytes)"));
                return;
            }
            if (length > 0) {
                writing++;
                channel.config().setAutoRead(false);
                upload.write(content.content().retain()).whenComplete((v, e) ->
                        channel.eventLoop().execute(() -> written(e)));
            }
            if (last) {
                over = true;
                upload.finish().whenComplete((size, e) -> channel.eventLoop().execute(() -> finished(size, e)));
            }
        } finally {
            content.release();
        }
    }

    /** The connection closed before the end of the body. */
    void interrupted() {
        if (!over) {
            over = true;
            upload.abort();
        }
    }

    private void written(Throwable failure) {
        writing--;
        if (failure != null && !over) {
            fail(ApiErrors.of(failure));
            return;
        }
        if (writing == 0 && !over) {
            channel.config().setAutoRead(true);
        }
    }

    private void finished(Long size, Throwable failure) {
        if (failure != null) {
            fail(ApiErrors.of(failure));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("upload", upload.token);
        body.put("size", size);
        body.put("fileName", upload.fileName);
        outcome.stored(ApiResponse.created(body));
    }

    /** Deletes the partial file, then tells the outcome (so the client never sees a 413 before the file is gone). */
    private void fail(ApiException error) {
        over = true;
        upload.abort().whenComplete((v, e) -> channel.eventLoop().execute(() -> outcome.failed(error, lastReceived)));
    }
}
