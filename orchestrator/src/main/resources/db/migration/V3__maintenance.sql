-- An operator's maintenance (issue 16): where the machine goes back to when it leaves, and why it is in.
ALTER TABLE machine ADD COLUMN lifecycle_before_maintenance text;
ALTER TABLE machine ADD COLUMN maintenance_reason text;
