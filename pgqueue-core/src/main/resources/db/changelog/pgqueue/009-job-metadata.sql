--liquibase formatted sql

--changeset pgqueue:009-job-metadata
--comment: metadata stored with a job at enqueue: the trace context its execution continues

-- A JSON object. Its top-level string fields are the trace context an enqueue's observation
-- propagated (W3C traceparent, and tracestate when there is one); the claim returns it, and the
-- execution's observation continues that trace. Empty when nothing was observed.
ALTER TABLE pgqueue_job ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}';

-- NOT VALID: the rows there are hold the default, and a large table is not scanned under this lock
ALTER TABLE pgqueue_job ADD CONSTRAINT pgqueue_job_metadata_check CHECK (jsonb_typeof(metadata) = 'object') NOT VALID;

--rollback ALTER TABLE pgqueue_job DROP CONSTRAINT pgqueue_job_metadata_check;
--rollback ALTER TABLE pgqueue_job DROP COLUMN metadata;
