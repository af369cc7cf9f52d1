-- Office engines the workers had to replace, by reason (crash, timeout,
-- file limit reached, ...), summed over every worker for /metrics. Each
-- worker adds its own counts after the job they happened in.
CREATE TABLE engine_restarts (
    reason text   PRIMARY KEY,
    total  bigint NOT NULL DEFAULT 0 CHECK (total >= 0)
);
