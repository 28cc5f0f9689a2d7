-- A later version of a record is deposited with the record's origin (the commitment of its first
-- version): the gateway checks it is the same FHIR resource type as the versions it holds of
-- that record, looked up by origin.

CREATE INDEX custody_by_origin ON custody (origin);
