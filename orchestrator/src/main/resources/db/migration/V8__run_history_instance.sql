-- Several orchestrator instances share the runs (issue 16): each line of a run's history says
-- which instance moved it, so a hand-over after an instance died is visible in the timeline.
ALTER TABLE run_history ADD COLUMN instance text;
