-- When the agent's last report was stamped: a report that arrives before the orchestrator has
-- applied the power cycle's confirmation (the BMC's facts and the agent's are different topics,
-- consumed at different paces) still counts for the run once the cycle is applied.
ALTER TABLE machine ADD COLUMN last_boot_at timestamptz;
