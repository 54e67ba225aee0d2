--liquibase formatted sql

--changeset pgqueue:005-waiting-index
--comment: priority aging: the claim also looks at the longest-waiting jobs, through this index

-- the claim's second lane: WHERE state = 'available' AND queue = ? AND run_at <= now() - aging ORDER BY run_at, id
CREATE INDEX pgqueue_job_waiting_idx
    ON pgqueue_job (queue, run_at, id)
    WHERE state = 'available';

--rollback DROP INDEX pgqueue_job_waiting_idx;
