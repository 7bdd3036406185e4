-- The agent's facts name a machine by its boot MAC, and each one locks the machine's active run by
-- it (RunStore.lockActive). Without an index that was a scan of every run: 61 ms a fact with
-- 10,000 runs (and their dead versions) in the table, the bottleneck of the 10,000-machine storm.
CREATE INDEX run_active_mac ON run (mac) WHERE status IN ('queued', 'running');
