//! The custodian's store: ciphertext envelopes, content-addressed by CID, with what the gateway
//! needs to release each one ([`Custody`]), and the signatures already used ([`Store::claim`]).
//!
//! Two backends:
//! - [`PgStore`], PostgreSQL (the deployment's): the schema is `gateway/migrations/*.sql`,
//!   applied in order at every connection under an advisory lock and recorded in
//!   `schema_migrations`. A document and its custody row are written in one transaction, so a
//!   crash leaves both or neither, and the commit returns only once PostgreSQL has made it
//!   durable. A lost connection is reported as [`StoreError::Unavailable`] and the next request
//!   on it connects again. [`POOL_SIZE`] connections serve requests in turn.
//! - [`DirStore`], a local directory (the embedded default when no database URL is given): the
//!   client's [`LocalDirStore`] for envelopes (atomic, fsynced writes) and one JSON file per
//!   custody row, written the same way after its envelope; used signatures are kept in memory,
//!   so a restart forgets them (a request can then be replayed within one window: use
//!   PostgreSQL where that matters).
//!
//! Writing the same document twice is harmless: a retry after a lost answer finds it stored.

use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::{Arc, Mutex},
	time::Duration,
};

use medchain_client::{
	account::AccountId,
	store::{cid_of, Cid, DocumentStore, LocalDirStore, StoreError as DocError},
};
use serde::{Deserialize, Serialize};

/// The migrations, in order: (version, SQL).
pub const MIGRATIONS: &[(i32, &str)] = &[
	(1, include_str!("../migrations/0001_custody.sql")),
	(2, include_str!("../migrations/0002_custody_by_origin.sql")),
];

/// How many connections a gateway keeps to PostgreSQL: requests take them in turn, so
/// concurrent deposits commit together instead of queueing behind one connection.
pub const POOL_SIZE: usize = 4;

/// How long a connection attempt to PostgreSQL may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// What the gateway keeps beside an envelope to release it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Custody {
	/// The envelope's address.
	pub cid: Cid,
	/// Whose record it is (the patient's account at this organisation).
	pub patient: AccountId,
	/// Who sent it.
	pub author: AccountId,
	/// The FHIR resource type inside the envelope.
	pub resource_type: String,
	/// The record's origin: the ciphertext commitment of its first version.
	pub origin: [u8; 32],
	/// The document's data key wrapped for the gateway's encryption key.
	pub wrapped_key: Vec<u8>,
}

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// The database cannot be reached now; nothing was written.
	#[error("the database is unavailable: {0}")]
	Unavailable(String),
	/// A stored document does not match its address, or a custody row is unreadable.
	#[error("the stored document {0} is damaged")]
	Corrupt(String),
	/// Any other failure of the store.
	#[error("the store failed: {0}")]
	Failed(String),
}

impl From<DocError> for StoreError {
	fn from(e: DocError) -> Self {
		match e {
			DocError::Corrupt(cid) => Self::Corrupt(cid.to_string()),
			other => Self::Failed(other.to_string()),
		}
	}
}

/// The gateway's store.
pub enum Store {
	/// PostgreSQL.
	Postgres(PgStore),
	/// A local directory (its blocking file operations run on tokio's blocking threads).
	Dir(Arc<DirStore>),
}

/// Runs a blocking directory-store operation off the async threads.
async fn blocking<T: Send + 'static>(
	dir: &Arc<DirStore>,
	f: impl FnOnce(&DirStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
	let dir = dir.clone();
	tokio::task::spawn_blocking(move || f(&dir))
		.await
		.map_err(|e| StoreError::Failed(format!("the store's worker failed: {e}")))?
}

impl Store {
	/// The local-directory store in `dir` (created if absent).
	pub fn directory(dir: &Path) -> Result<Self, StoreError> {
		Ok(Self::Dir(Arc::new(DirStore::open(dir)?)))
	}

	/// The backend's name, for `/health` and the logs.
	pub fn kind(&self) -> &'static str {
		match self {
			Self::Postgres(_) => "postgresql",
			Self::Dir(_) => "directory",
		}
	}

	/// Stores `envelope` with its custody row (whose `cid` must be the envelope's); returns when
	/// both are durable.
	pub async fn put(&self, envelope: &[u8], custody: &Custody) -> Result<(), StoreError> {
		if cid_of(envelope) != custody.cid {
			return Err(StoreError::Failed("custody row names another document".into()));
		}
		match self {
			Self::Postgres(pg) => pg.put(envelope, custody).await,
			Self::Dir(dir) => {
				let (envelope, custody) = (envelope.to_vec(), custody.clone());
				blocking(dir, move |d| d.put(&envelope, &custody)).await
			},
		}
	}

	/// The envelope with this CID and its custody row, if stored.
	pub async fn get(&self, cid: &Cid) -> Result<Option<(Vec<u8>, Custody)>, StoreError> {
		match self {
			Self::Postgres(pg) => pg.get(cid).await,
			Self::Dir(dir) => {
				let cid = *cid;
				blocking(dir, move |d| d.get(&cid)).await
			},
		}
	}

	/// The custody rows of `patient`'s documents, of `resource_type` when given, oldest first.
	pub async fn of_patient(
		&self,
		patient: &AccountId,
		resource_type: Option<&str>,
	) -> Result<Vec<Custody>, StoreError> {
		match self {
			Self::Postgres(pg) => pg.of_patient(patient, resource_type).await,
			Self::Dir(dir) => {
				let (patient, wanted) = (*patient, resource_type.map(str::to_string));
				blocking(dir, move |d| d.of_patient(&patient, wanted.as_deref())).await
			},
		}
	}

	/// The FHIR resource type of the documents held of the record whose origin is `origin` (a
	/// record keeps its type across versions), if any is held here.
	pub async fn type_of_origin(&self, origin: &[u8; 32]) -> Result<Option<String>, StoreError> {
		match self {
			Self::Postgres(pg) => pg.type_of_origin(origin).await,
			Self::Dir(dir) => {
				let origin = *origin;
				blocking(dir, move |d| d.type_of_origin(&origin)).await
			},
		}
	}

	/// Claims a request's signature `digest` until `expires_at` (Unix seconds): `false` if it was
	/// already claimed (a replay). Claims expired at `now` are forgotten.
	pub async fn claim(
		&self,
		digest: [u8; 32],
		expires_at: u64,
		now: u64,
	) -> Result<bool, StoreError> {
		match self {
			Self::Postgres(pg) => pg.claim(digest, expires_at, now).await,
			Self::Dir(dir) => Ok(dir.claim(digest, expires_at, now)),
		}
	}

	/// Whether the store answers.
	pub async fn health(&self) -> Result<(), StoreError> {
		match self {
			Self::Postgres(pg) => pg.health().await,
			Self::Dir(dir) => dir.health(),
		}
	}
}

/// The PostgreSQL backend: [`POOL_SIZE`] connections, each made (again) when first needed.
pub struct PgStore {
	url: String,
	pool: Vec<tokio::sync::Mutex<Option<tokio_postgres::Client>>>,
	next: std::sync::atomic::AtomicUsize,
}

fn pg_error(e: tokio_postgres::Error) -> StoreError {
	match e.as_db_error() {
		Some(db) => StoreError::Failed(format!("{} ({})", db.message(), db.code().code())),
		None => StoreError::Unavailable(e.to_string()),
	}
}

fn custody_from_row(row: &tokio_postgres::Row) -> Result<Custody, StoreError> {
	let cid_text: String = row.try_get("cid").map_err(pg_error)?;
	let damaged = || StoreError::Corrupt(cid_text.clone());
	let bytes32 = |name: &str| -> Result<[u8; 32], StoreError> {
		let bytes: Vec<u8> = row.try_get(name).map_err(pg_error)?;
		bytes.try_into().map_err(|_| damaged())
	};
	Ok(Custody {
		cid: medchain_client::store::parse_cid(&cid_text).map_err(|_| damaged())?,
		patient: AccountId(bytes32("patient")?),
		author: AccountId(bytes32("author")?),
		resource_type: row.try_get("resource_type").map_err(pg_error)?,
		origin: bytes32("origin")?,
		wrapped_key: row.try_get("wrapped_key").map_err(pg_error)?,
	})
}

impl PgStore {
	/// Connects to `url` (a libpq connection string or `postgresql://` URL) and brings the
	/// schema up to date.
	pub async fn open(url: &str) -> Result<Self, StoreError> {
		let store = Self {
			url: url.to_string(),
			pool: (0..POOL_SIZE).map(|_| tokio::sync::Mutex::new(None)).collect(),
			next: std::sync::atomic::AtomicUsize::new(0),
		};
		drop(store.connected().await?);
		Ok(store)
	}

	async fn connect(url: &str) -> Result<tokio_postgres::Client, StoreError> {
		let attempt = tokio_postgres::connect(url, tokio_postgres::NoTls);
		let (mut client, connection) = tokio::time::timeout(CONNECT_TIMEOUT, attempt)
			.await
			.map_err(|_| StoreError::Unavailable("connecting timed out".into()))?
			.map_err(pg_error)?;
		tokio::spawn(async move {
			if let Err(e) = connection.await {
				tracing::warn!(error = %e, "database connection closed");
			}
		});
		migrate(&mut client).await?;
		Ok(client)
	}

	/// The next connection of the pool, made again if it was lost.
	async fn connected(
		&self,
	) -> Result<tokio::sync::MutexGuard<'_, Option<tokio_postgres::Client>>, StoreError> {
		let turn = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
		let Some(slot) = self.pool.get(turn % POOL_SIZE) else {
			return Err(StoreError::Failed("empty connection pool".into()));
		};
		let mut guard = slot.lock().await;
		if guard.as_ref().is_none_or(|c| c.is_closed()) {
			*guard = None;
			*guard = Some(Self::connect(&self.url).await?);
		}
		Ok(guard)
	}

	/// Runs `f` on the connection; a connection-level failure drops it so the next call
	/// connects again.
	async fn with<T>(
		&self,
		f: impl AsyncFnOnce(&mut tokio_postgres::Client) -> Result<T, StoreError>,
	) -> Result<T, StoreError> {
		let mut guard = self.connected().await?;
		let Some(client) = guard.as_mut() else {
			return Err(StoreError::Unavailable("no connection".into()));
		};
		let result = f(client).await;
		if matches!(result, Err(StoreError::Unavailable(_))) {
			*guard = None;
		}
		result
	}

	async fn put(&self, envelope: &[u8], custody: &Custody) -> Result<(), StoreError> {
		let cid = custody.cid.to_string();
		self.with(async |client| {
			let tx = client.transaction().await.map_err(pg_error)?;
			tx.execute(
				"INSERT INTO envelopes (cid, bytes) VALUES ($1, $2) ON CONFLICT (cid) DO NOTHING",
				&[&cid, &envelope],
			)
			.await
			.map_err(pg_error)?;
			tx.execute(
				"INSERT INTO custody (cid, patient, author, resource_type, origin, wrapped_key) \
				 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (cid) DO NOTHING",
				&[
					&cid,
					&custody.patient.0.as_slice(),
					&custody.author.0.as_slice(),
					&custody.resource_type,
					&custody.origin.as_slice(),
					&custody.wrapped_key,
				],
			)
			.await
			.map_err(pg_error)?;
			tx.commit().await.map_err(pg_error)
		})
		.await
	}

	async fn get(&self, cid: &Cid) -> Result<Option<(Vec<u8>, Custody)>, StoreError> {
		let text = cid.to_string();
		let row = self
			.with(async |client| {
				client
					.query_opt(
						"SELECT e.bytes, c.* FROM envelopes e JOIN custody c ON c.cid = e.cid \
						 WHERE e.cid = $1",
						&[&text],
					)
					.await
					.map_err(pg_error)
			})
			.await?;
		let Some(row) = row else { return Ok(None) };
		let bytes: Vec<u8> = row.try_get("bytes").map_err(pg_error)?;
		if cid_of(&bytes) != *cid {
			return Err(StoreError::Corrupt(text));
		}
		Ok(Some((bytes, custody_from_row(&row)?)))
	}

	async fn of_patient(
		&self,
		patient: &AccountId,
		resource_type: Option<&str>,
	) -> Result<Vec<Custody>, StoreError> {
		let rows = self
			.with(async |client| {
				client
					.query(
						"SELECT * FROM custody WHERE patient = $1 \
						 AND ($2::TEXT IS NULL OR resource_type = $2) ORDER BY created_at, cid",
						&[&patient.0.as_slice(), &resource_type],
					)
					.await
					.map_err(pg_error)
			})
			.await?;
		rows.iter().map(custody_from_row).collect()
	}

	async fn type_of_origin(&self, origin: &[u8; 32]) -> Result<Option<String>, StoreError> {
		let row = self
			.with(async |client| {
				client
					.query_opt(
						"SELECT resource_type FROM custody WHERE origin = $1 LIMIT 1",
						&[&origin.as_slice()],
					)
					.await
					.map_err(pg_error)
			})
			.await?;
		row.map(|row| row.try_get("resource_type").map_err(pg_error)).transpose()
	}

	async fn claim(&self, digest: [u8; 32], expires_at: u64, now: u64) -> Result<bool, StoreError> {
		let (expires_at, now) = (to_i64(expires_at)?, to_i64(now)?);
		self.with(async |client| {
			client
				.execute("DELETE FROM seen_requests WHERE expires_at < $1", &[&now])
				.await
				.map_err(pg_error)?;
			let inserted = client
				.execute(
					"INSERT INTO seen_requests (digest, expires_at) VALUES ($1, $2) \
					 ON CONFLICT (digest) DO NOTHING",
					&[&digest.as_slice(), &expires_at],
				)
				.await
				.map_err(pg_error)?;
			Ok(inserted == 1)
		})
		.await
	}

	async fn health(&self) -> Result<(), StoreError> {
		self.with(async |client| client.simple_query("SELECT 1").await.map(drop).map_err(pg_error))
			.await
	}
}

fn to_i64(seconds: u64) -> Result<i64, StoreError> {
	i64::try_from(seconds).map_err(|_| StoreError::Failed(format!("time {seconds} out of range")))
}

/// Applies the migrations this database lacks, each in its own transaction, under an advisory
/// lock (two gateways starting together apply each once).
async fn migrate(client: &mut tokio_postgres::Client) -> Result<(), StoreError> {
	client
		.batch_execute(
			"CREATE TABLE IF NOT EXISTS schema_migrations (\
			 version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
		)
		.await
		.map_err(pg_error)?;
	for (version, sql) in MIGRATIONS {
		let tx = client.transaction().await.map_err(pg_error)?;
		// The lock's key: "mcgw" as a number. Released at the end of the transaction.
		tx.execute("SELECT pg_advisory_xact_lock(1835231095)", &[]).await.map_err(pg_error)?;
		let applied = tx
			.query_opt("SELECT 1 FROM schema_migrations WHERE version = $1", &[version])
			.await
			.map_err(pg_error)?;
		if applied.is_none() {
			tx.batch_execute(sql).await.map_err(pg_error)?;
			tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[version])
				.await
				.map_err(pg_error)?;
			tracing::info!(version, "applied database migration");
		}
		tx.commit().await.map_err(pg_error)?;
	}
	Ok(())
}

/// A custody row as kept on disk by [`DirStore`].
#[derive(Serialize, Deserialize)]
struct CustodyFile {
	patient: String,
	author: String,
	resource_type: String,
	origin: String,
	wrapped_key: String,
}

/// The local-directory backend: `<dir>/envelopes/<cid>` and `<dir>/custody/<cid>.json`.
pub struct DirStore {
	envelopes: LocalDirStore,
	custody: PathBuf,
	seen: Mutex<HashMap<[u8; 32], u64>>,
}

impl DirStore {
	/// Opens (creating) the store in `dir`.
	pub fn open(dir: &Path) -> Result<Self, StoreError> {
		let custody = dir.join("custody");
		std::fs::create_dir_all(&custody)
			.map_err(|e| StoreError::Failed(format!("{}: {e}", custody.display())))?;
		Ok(Self {
			envelopes: LocalDirStore::open(dir.join("envelopes"))?,
			custody,
			seen: Mutex::new(HashMap::new()),
		})
	}

	fn custody_path(&self, cid: &Cid) -> PathBuf {
		self.custody.join(format!("{cid}.json"))
	}

	fn put(&self, envelope: &[u8], custody: &Custody) -> Result<(), StoreError> {
		self.envelopes.put(envelope)?;
		let path = self.custody_path(&custody.cid);
		let file = CustodyFile {
			patient: hex::encode(custody.patient.0),
			author: hex::encode(custody.author.0),
			resource_type: custody.resource_type.clone(),
			origin: hex::encode(custody.origin),
			wrapped_key: hex::encode(&custody.wrapped_key),
		};
		let failed =
			|e: &dyn std::fmt::Display| StoreError::Failed(format!("{}: {e}", path.display()));
		let json = serde_json::to_vec(&file).map_err(|e| failed(&e))?;
		// Atomic, fsynced, never replacing: a row already there (an earlier or concurrent
		// deposit of the same document) stays as it is.
		match medchain_client::fsutil::write_private(&path, &json) {
			Ok(()) => Ok(()),
			Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
			Err(e) => Err(failed(&e)),
		}
	}

	fn read_custody(&self, cid: &Cid, path: &Path) -> Result<Custody, StoreError> {
		let damaged = || StoreError::Corrupt(cid.to_string());
		let bytes = std::fs::read(path)
			.map_err(|e| StoreError::Failed(format!("{}: {e}", path.display())))?;
		let file: CustodyFile = serde_json::from_slice(&bytes).map_err(|_| damaged())?;
		let bytes32 = |text: &str| -> Result<[u8; 32], StoreError> {
			hex::decode(text).ok().and_then(|b| b.try_into().ok()).ok_or_else(damaged)
		};
		Ok(Custody {
			cid: *cid,
			patient: AccountId(bytes32(&file.patient)?),
			author: AccountId(bytes32(&file.author)?),
			resource_type: file.resource_type,
			origin: bytes32(&file.origin)?,
			wrapped_key: hex::decode(&file.wrapped_key).map_err(|_| damaged())?,
		})
	}

	fn get(&self, cid: &Cid) -> Result<Option<(Vec<u8>, Custody)>, StoreError> {
		let path = self.custody_path(cid);
		if !path.exists() {
			return Ok(None);
		}
		let custody = self.read_custody(cid, &path)?;
		match self.envelopes.get(cid) {
			Ok(bytes) => Ok(Some((bytes, custody))),
			Err(DocError::NotFound(_)) => Err(StoreError::Corrupt(cid.to_string())),
			Err(e) => Err(e.into()),
		}
	}

	/// Every custody row with its file's modification time (a scan: the directory store is
	/// the embedded default, not the deployment's).
	fn rows(&self) -> Result<Vec<(Option<std::time::SystemTime>, Custody)>, StoreError> {
		let listing = std::fs::read_dir(&self.custody)
			.map_err(|e| StoreError::Failed(format!("{}: {e}", self.custody.display())))?;
		let mut rows = Vec::new();
		for entry in listing {
			let entry = entry.map_err(|e| StoreError::Failed(e.to_string()))?;
			let name = entry.file_name();
			let Some(cid) = name
				.to_str()
				.and_then(|n| n.strip_suffix(".json"))
				.and_then(|n| medchain_client::store::parse_cid(n).ok())
			else {
				continue; // a temporary file of a write in progress
			};
			let modified = entry.metadata().and_then(|m| m.modified()).ok();
			rows.push((modified, self.read_custody(&cid, &entry.path())?));
		}
		Ok(rows)
	}

	fn of_patient(
		&self,
		patient: &AccountId,
		resource_type: Option<&str>,
	) -> Result<Vec<Custody>, StoreError> {
		let mut found: Vec<_> = self
			.rows()?
			.into_iter()
			.filter(|(_, custody)| {
				custody.patient == *patient
					&& resource_type.is_none_or(|t| t == custody.resource_type)
			})
			.collect();
		found.sort_by_key(|a| (a.0, a.1.cid.to_string()));
		Ok(found.into_iter().map(|(_, c)| c).collect())
	}

	fn type_of_origin(&self, origin: &[u8; 32]) -> Result<Option<String>, StoreError> {
		let rows = self.rows()?;
		Ok(rows.into_iter().find(|(_, c)| c.origin == *origin).map(|(_, c)| c.resource_type))
	}

	fn claim(&self, digest: [u8; 32], expires_at: u64, now: u64) -> bool {
		let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		seen.retain(|_, expiry| *expiry >= now);
		match seen.entry(digest) {
			std::collections::hash_map::Entry::Occupied(_) => false,
			std::collections::hash_map::Entry::Vacant(slot) => {
				slot.insert(expires_at);
				true
			},
		}
	}

	fn health(&self) -> Result<(), StoreError> {
		std::fs::metadata(&self.custody)
			.map(drop)
			.map_err(|e| StoreError::Unavailable(format!("{}: {e}", self.custody.display())))
	}
}
