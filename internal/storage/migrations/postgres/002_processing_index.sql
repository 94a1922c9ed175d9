-- The queue's sweep looks for jobs still PROCESSING every minute; this
-- partial index keeps that lookup small however many finished results the
-- retention keeps.
CREATE INDEX IF NOT EXISTS jobs_processing ON jobs (id) WHERE status = 'PROCESSING';
