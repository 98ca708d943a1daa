-- Issue 19: an ingest job belongs to the instance that runs it (claimed_by, a server_instances id).
-- When that instance dies (its heartbeat stops), another one claims the job with
-- SELECT ... FOR UPDATE SKIP LOCKED and runs it again from its source, or fails it cleanly after
-- too many attempts. source names the file to build from (relative to the slides folder unless
-- linked); position and microns_per_pixel are what the upload asked for.
ALTER TABLE ingest_jobs ADD COLUMN claimed_by VARCHAR(36);
ALTER TABLE ingest_jobs ADD COLUMN attempts INT NOT NULL DEFAULT 0;
ALTER TABLE ingest_jobs ADD COLUMN source VARCHAR(4000);
ALTER TABLE ingest_jobs ADD COLUMN linked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE ingest_jobs ADD COLUMN slice_position DOUBLE PRECISION;
ALTER TABLE ingest_jobs ADD COLUMN microns_per_pixel DOUBLE PRECISION;
