--liquibase formatted sql

--changeset pgqueue:006-one-claim-index
--comment: the claim's aging lane walks pgqueue_job_claim_idx one priority at a time; the second index cost every enqueue about a fifth of its insert

DROP INDEX pgqueue_job_waiting_idx;

--rollback CREATE INDEX pgqueue_job_waiting_idx ON pgqueue_job (queue, run_at, id) WHERE state = 'available';
