--liquibase formatted sql

--changeset pgqueue:003-queue-table
--comment: queue state shared by every node: a paused queue is claimed by none

CREATE TABLE pgqueue_queue (
    name       text        PRIMARY KEY,
    paused     boolean     NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pgqueue_queue_name_check
        CHECK (char_length(name) BETWEEN 1 AND 128)
);

--rollback DROP TABLE pgqueue_queue;
