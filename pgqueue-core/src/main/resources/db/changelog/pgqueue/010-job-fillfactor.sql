--liquibase formatted sql

--changeset pgqueue:010-job-fillfactor
--comment: room on each page of the job table for its rows' next versions, so that a start (which changes no indexed column) is a HOT update

-- A job's start sets its attempt and start time, neither indexed: with room left on the row's page
-- PostgreSQL writes the new version there without touching an index (a HOT update). Measured on the
-- drain: about 7% more jobs/s and a sixth less WAL per job, for a table about 40% larger. New pages
-- only: the pages a table has keep their rows until they change.
ALTER TABLE pgqueue_job SET (fillfactor = 70);

--rollback ALTER TABLE pgqueue_job RESET (fillfactor);
