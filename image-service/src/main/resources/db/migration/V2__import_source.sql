-- image-service: what was uploaded when an import converted it (a qcow2 stored as raw.zst).
ALTER TABLE images ADD COLUMN source_format text CHECK (source_format IN ('qcow2'));
ALTER TABLE images ADD COLUMN source_sha256 text;
