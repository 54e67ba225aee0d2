--liquibase formatted sql

--changeset pgqueue:004-periodic-table
--comment: the last tick each periodic job was enqueued for; its row lock makes one node enqueue each tick

CREATE TABLE pgqueue_periodic (
    name       text        PRIMARY KEY,
    last_tick  timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pgqueue_periodic_name_check
        CHECK (char_length(name) BETWEEN 1 AND 255)
);

--rollback DROP TABLE pgqueue_periodic;
