--liquibase formatted sql

--changeset pgqueue:007-lease-token
--comment: a fencing token that only grows, attempts that count runs, and an id for this installation

-- Every claim takes the next token of its row; a lease is (lease_owner, lease_token), so no lease
-- ever recurs, whatever the worker id, a release or a restart. Every write a worker makes to a
-- leased job is guarded by both.
ALTER TABLE pgqueue_job ADD COLUMN lease_token bigint NOT NULL DEFAULT 0;

-- When the handler of the current lease started: NULL while the job waits claimed ahead of a free
-- slot. attempt counts starts, so a job whose worker died before starting it keeps its attempt,
-- and one whose worker died while it ran counts it.
ALTER TABLE pgqueue_job ADD COLUMN started_at timestamptz;

ALTER TABLE pgqueue_job ADD CONSTRAINT pgqueue_job_started_check
    CHECK (started_at IS NULL OR state = 'running');

-- The lease under which a runOnce step started: a step started under another lease is in doubt.
ALTER TABLE pgqueue_side_effect ADD COLUMN lease_token bigint;

-- One row: this installation's id, created with the schema. Side-effect keys handed to outside APIs
-- carry it, so two schemas, staging and production, never hand out the same key for their own jobs.
CREATE TABLE pgqueue_installation (
    id         uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    singleton  boolean     NOT NULL DEFAULT true UNIQUE,
    CONSTRAINT pgqueue_installation_singleton_check CHECK (singleton)
);

INSERT INTO pgqueue_installation DEFAULT VALUES;

--rollback DROP TABLE pgqueue_installation;
--rollback ALTER TABLE pgqueue_side_effect DROP COLUMN lease_token;
--rollback ALTER TABLE pgqueue_job DROP CONSTRAINT pgqueue_job_started_check;
--rollback ALTER TABLE pgqueue_job DROP COLUMN started_at;
--rollback ALTER TABLE pgqueue_job DROP COLUMN lease_token;
