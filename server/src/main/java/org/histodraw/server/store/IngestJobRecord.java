package org.histodraw.server.store;

/**
 * An ingest job as stored: {@code state} is running, done or failed; {@code sliceId} is set when
 * done; {@code storageKey} names the pyramid folder it builds and {@code uploadFile} (null for files
 * ingested from the command line) the upload it reads.
 */
public record IngestJobRecord(String id, long seriesId, long projectId, String name, String state, double progress,
                              String message, Long sliceId, String storageKey, String uploadFile) {
}
