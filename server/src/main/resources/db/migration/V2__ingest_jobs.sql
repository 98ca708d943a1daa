-- Ingest jobs outlive the server: GET /api/v1/jobs/{id} answers after a restart, and a job that was
-- running when the server stopped is marked failed at the next start (its half-made files removed).
-- storage_key names the pyramid folder the job builds; upload_file the upload it reads (deleted after).
CREATE TABLE ingest_jobs (
    id          VARCHAR(36)      PRIMARY KEY,
    series_id   BIGINT           NOT NULL REFERENCES series (id) ON DELETE CASCADE,
    project_id  BIGINT           NOT NULL,
    name        VARCHAR(200)     NOT NULL,
    state       VARCHAR(16)      NOT NULL,
    progress    DOUBLE PRECISION NOT NULL,
    message     VARCHAR(2000)    NOT NULL,
    slice_id    BIGINT,
    storage_key VARCHAR(64)      NOT NULL,
    upload_file VARCHAR(1000),
    created_at  BIGINT           NOT NULL,
    updated_at  BIGINT           NOT NULL
);
CREATE INDEX ingest_jobs_state ON ingest_jobs (state);
