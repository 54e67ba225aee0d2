--liquibase formatted sql

--changeset pgqueue:008-enqueue-function splitStatements:false
--comment: pgqueue_enqueue(kind, payload, ...): an enqueue for producers outside Java (triggers, psql, other languages), with JobQueue.enqueue's validation, idempotency and wake-up

-- Enqueues one job, as JobQueue.enqueue(kind, payload, options) does, and returns its id and whether
-- the idempotency key was already held (then id is the holder's and nothing was written):
--
--   SELECT * FROM pgqueue_enqueue('send-email', '{"to": "a@b.c"}', queue => 'emails', delay => '5 minutes');
--
-- Each option is EnqueueOptions' own; NULL means "unset", as an option left out of the builder: queue
-- 'default', priority 0, run now, max_attempts 25 (RetrySettings' default; pgqueue.retry.max-attempts is
-- the Java nodes' setting, which this function cannot see). A bad argument raises SQLSTATE 22023
-- (invalid_parameter_value) with a message naming it, before anything is written. The wake-up is
-- pg_notify on the schema's channel ('pgqueue_' || schema, as Tables.channel()), carrying the queue's
-- name, for a job runnable now; it is delivered when the caller's transaction commits.
-- SECURITY INVOKER: the caller needs INSERT and SELECT on pgqueue_job.
CREATE OR REPLACE FUNCTION pgqueue_enqueue(
    kind            text,
    payload         jsonb,
    queue           text        DEFAULT 'default',
    priority        integer     DEFAULT 0,
    run_at          timestamptz DEFAULT NULL,
    delay           interval    DEFAULT NULL,
    max_attempts    integer     DEFAULT 25,
    idempotency_key text        DEFAULT NULL,
    OUT id          bigint,
    OUT duplicate   boolean)
LANGUAGE plpgsql
VOLATILE
AS $function$
#variable_conflict use_column
DECLARE
    -- Java's String.isBlank: Character.isWhitespace, exactly (not U+00A0, U+2007, U+202F)
    blank CONSTANT text := '^[\u0009-\u000d\u001c-\u0020\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]*$';
    -- characters outside the BMP, which Java counts as two (String.length counts UTF-16 units)
    astral CONSTANT text := '[^\U00010000-\U0010FFFF]';
    v_kind     text        := pgqueue_enqueue.kind;
    v_payload  jsonb       := pgqueue_enqueue.payload;
    v_queue    text        := COALESCE(pgqueue_enqueue.queue, 'default');
    v_priority integer     := COALESCE(pgqueue_enqueue.priority, 0);
    v_run_at   timestamptz := pgqueue_enqueue.run_at;
    v_delay    interval    := pgqueue_enqueue.delay;
    v_max      integer     := COALESCE(pgqueue_enqueue.max_attempts, 25);
    v_key      text        := pgqueue_enqueue.idempotency_key;
    v_size     bigint;
    v_runnable boolean;
BEGIN
    IF v_kind IS NULL OR v_kind ~ blank THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'kind must not be blank';
    END IF;
    IF char_length(v_kind) + char_length(regexp_replace(v_kind, astral, '', 'g')) > 255 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('kind must be at most 255 characters, was %s',
                             char_length(v_kind) + char_length(regexp_replace(v_kind, astral, '', 'g')));
    END IF;
    IF v_payload IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value', MESSAGE = 'payload must not be null';
    END IF;
    -- EngineSettings' default max-payload-size (1 MiB), of the JSON as PostgreSQL writes it
    v_size := octet_length(v_payload::text);
    IF v_size > 1048576 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('payload of kind ''%s'' is %s bytes of JSON, over max-payload-size of 1048576 bytes',
                             v_kind, v_size);
    END IF;
    IF v_queue ~ blank OR char_length(v_queue) + char_length(regexp_replace(v_queue, astral, '', 'g')) > 128 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('queue must be non-blank and at most 128 characters, was ''%s''',
                             CASE WHEN char_length(v_queue) <= 40 THEN v_queue ELSE left(v_queue, 40) || '...' END);
    END IF;
    IF v_key IS NOT NULL AND (v_key ~ blank
            OR char_length(v_key) + char_length(regexp_replace(v_key, astral, '', 'g')) > 512) THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('idempotency_key must be non-blank and at most 512 characters, was ''%s''',
                             CASE WHEN char_length(v_key) <= 40 THEN v_key ELSE left(v_key, 40) || '...' END);
    END IF;
    IF v_max < 1 THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('max_attempts must be at least 1, was %s', v_max);
    END IF;
    IF v_delay IS NOT NULL AND (v_delay < interval '0' OR v_delay > interval '365000 days') THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('delay must be from 0 to 365000 days, was %s', v_delay);
    END IF;
    IF v_run_at IS NOT NULL AND (v_run_at < timestamptz '0001-01-01 00:00:00+00'
            OR v_run_at > timestamptz '9999-12-31 23:59:59.999999+00') THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = format('run_at must be from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z, was %s',
                             v_run_at);
    END IF;
    IF v_delay IS NOT NULL AND v_run_at IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'invalid_parameter_value',
            MESSAGE = 'delay and run_at are exclusive: set one of them';
    END IF;
    v_run_at := COALESCE(v_run_at, now() + COALESCE(v_delay, interval '0'));

    -- As EnqueueStore's INSERT: a taken key inserts nothing (ON CONFLICT on the key's unique index,
    -- waiting for a concurrent inserter of the key to commit or roll back), and the holder is read by
    -- the next statement, which sees it committed. Three tries, in case the holder is pruned between.
    FOR try IN 1..3 LOOP
        IF v_key IS NULL THEN
            INSERT INTO pgqueue_job AS j (queue, kind, payload, priority, max_attempts, run_at)
            VALUES (v_queue, v_kind, v_payload, v_priority, v_max, v_run_at)
            RETURNING j.id, j.run_at <= now() INTO id, v_runnable;
        ELSE
            INSERT INTO pgqueue_job AS j (queue, kind, payload, priority, max_attempts, run_at, idempotency_key)
            VALUES (v_queue, v_kind, v_payload, v_priority, v_max, v_run_at, v_key)
            ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING j.id, j.run_at <= now() INTO id, v_runnable;
        END IF;
        IF FOUND THEN
            duplicate := false;
            IF v_runnable THEN
                -- Tables.channel(): the schema's channel, at most 63 characters; the payload is the queue
                PERFORM pg_notify(left('pgqueue_' || current_schema(), 63), v_queue);
            END IF;
            RETURN;
        END IF;
        SELECT j.id INTO id FROM pgqueue_job AS j WHERE j.idempotency_key = v_key;
        IF FOUND THEN
            duplicate := true;
            RETURN;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'could not enqueue job of kind ''%'' with idempotency key ''%'': its holder kept disappearing',
        v_kind, v_key;
END
$function$;

-- The function's own schema first, pg_temp last: a caller's search_path (or a temporary table named
-- pgqueue_job) can never redirect its statements. Pinned to the schema this file runs in.
DO $pin$
BEGIN
    IF current_schema() IS NULL THEN
        RAISE EXCEPTION 'SET search_path TO <schema> before creating pgqueue_enqueue';
    END IF;
    EXECUTE format('ALTER FUNCTION %1$I.pgqueue_enqueue(text, jsonb, text, integer, timestamptz, interval, integer, text)'
                   ' SET search_path = %1$I, pg_temp', current_schema());
END
$pin$;

COMMENT ON FUNCTION pgqueue_enqueue(text, jsonb, text, integer, timestamptz, interval, integer, text) IS
    'pgqueue: enqueues a job as JobQueue.enqueue does; returns (id, duplicate). See the README, "Enqueue from SQL and other languages"';

--rollback DROP FUNCTION pgqueue_enqueue(text, jsonb, text, integer, timestamptz, interval, integer, text);
