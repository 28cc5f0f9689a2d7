-- The custodian's store: ciphertext only.
--
-- envelopes: each document's envelope (XChaCha20-Poly1305 ciphertext), content-addressed by its
--   CIDv1 (raw, sha2-256) in base32 text form; never the plaintext.
-- custody: what the gateway needs to release a document under consent: whose it is (the
--   patient's account, a pseudonym), who wrote it, the FHIR resource type (for search; the
--   chain never learns it), the record's origin (commitment of its first version, part of every
--   wrapped key's context) and the document's data key wrapped (HPKE) for the gateway's own
--   encryption key.
-- seen_requests: signatures already used, kept for the replay window (a hash, not the request).

CREATE TABLE envelopes (
	cid TEXT PRIMARY KEY,
	bytes BYTEA NOT NULL,
	stored_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE custody (
	cid TEXT PRIMARY KEY REFERENCES envelopes (cid),
	patient BYTEA NOT NULL CHECK (length(patient) = 32),
	author BYTEA NOT NULL CHECK (length(author) = 32),
	resource_type TEXT NOT NULL,
	origin BYTEA NOT NULL CHECK (length(origin) = 32),
	wrapped_key BYTEA NOT NULL,
	created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX custody_by_patient ON custody (patient, resource_type);

CREATE TABLE seen_requests (
	digest BYTEA PRIMARY KEY,
	expires_at BIGINT NOT NULL
);

CREATE INDEX seen_requests_by_expiry ON seen_requests (expires_at);
