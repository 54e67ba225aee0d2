--liquibase formatted sql

--changeset pgqueue:002-side-effect-table
--comment: the ledger behind JobContext.runOnce: one row per job and step key

CREATE TABLE pgqueue_side_effect (
    job_id       bigint      NOT NULL REFERENCES pgqueue_job (id) ON DELETE CASCADE,
    key          text        NOT NULL,
    state        text        NOT NULL,
    attempt      integer     NOT NULL,
    owner        text        NOT NULL,
    result       jsonb,
    result_type  text,
    started_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,

    PRIMARY KEY (job_id, key),
    CONSTRAINT pgqueue_side_effect_state_check
        CHECK (state IN ('started', 'succeeded')),
    CONSTRAINT pgqueue_side_effect_key_check
        CHECK (char_length(key) BETWEEN 1 AND 255),
    -- a step is succeeded exactly when its completion was recorded
    CONSTRAINT pgqueue_side_effect_completed_check
        CHECK ((state = 'succeeded') = (completed_at IS NOT NULL))
);

COMMENT ON TABLE pgqueue_side_effect IS 'pgqueue runOnce ledger: started = in doubt unless its own attempt is still running';

--rollback DROP TABLE pgqueue_side_effect;
