-- Conversion jobs: one row per upload, owned by one anonymous client and
-- deleted 24 hours after it was created.
CREATE TABLE document_jobs (
    id               uuid        PRIMARY KEY,
    client_id        uuid        NOT NULL,
    conversion       text        NOT NULL,
    status           text        NOT NULL DEFAULT 'queued'
                     CHECK (status IN ('queued', 'running', 'succeeded',
                                       'failed')),
    options          jsonb       NOT NULL DEFAULT '{}',
    -- Uploaded files in upload order: [{"name": ..., "size": ...}]. The
    -- name is the user's, shown back; on disk they are input-<n>.<ext>.
    inputs           jsonb       NOT NULL,
    output_name      text,
    output_size      bigint,
    error_code       text,
    error_message    text,
    attempts         integer     NOT NULL DEFAULT 0,
    -- While running: when the worker's claim runs out unless renewed.
    lease_expires_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    expires_at       timestamptz NOT NULL DEFAULT now() + interval '24 hours',
    CHECK ((status = 'failed') = (error_code IS NOT NULL))
);

-- A client's own jobs, newest first (list, get, active-job count).
CREATE INDEX document_jobs_client_created
    ON document_jobs (client_id, created_at DESC);

-- The worker's queue: oldest queued job first.
CREATE INDEX document_jobs_queued
    ON document_jobs (created_at) WHERE status = 'queued';

-- Running jobs whose lease ran out.
CREATE INDEX document_jobs_running_lease
    ON document_jobs (lease_expires_at) WHERE status = 'running';

-- Cleanup of expired jobs.
CREATE INDEX document_jobs_expires ON document_jobs (expires_at);
