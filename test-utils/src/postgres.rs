//! A throwaway PostgreSQL server for a test (feature `postgres`).
//!
//! [`Postgres::start`] makes a cluster in a temporary directory with the distribution's
//! `initdb` (PostgreSQL 15 from `scripts/setup.sh`), starts it listening on a Unix socket in
//! that directory only (no TCP port), and stops it and removes everything when dropped. The
//! server refuses to run as root, so under root the cluster belongs to the `postgres` system
//! user and its programs run through `runuser`. [`Postgres::stop`] and [`Postgres::restart`]
//! let a test take the database away and bring it back (the gateway's "database down").

use std::{
	path::{Path, PathBuf},
	process::{Command, Output},
};

/// A running throwaway cluster.
pub struct Postgres {
	dir: tempfile::TempDir,
	bin: PathBuf,
	running: bool,
}

/// The directory holding `initdb`, `pg_ctl` and `postgres`: `$PG_BIN`, else the newest
/// `/usr/lib/postgresql/<version>/bin`.
pub fn bin_dir() -> PathBuf {
	if let Some(dir) = std::env::var_os("PG_BIN") {
		return PathBuf::from(dir);
	}
	let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
		.expect("PostgreSQL is installed (scripts/setup.sh installs it)")
		.filter_map(|entry| {
			let entry = entry.ok()?;
			let version = entry.file_name().to_str()?.parse().ok()?;
			Some((version, entry.path().join("bin")))
		})
		.filter(|(_, bin)| bin.join("initdb").exists())
		.collect();
	versions.sort();
	versions.pop().map(|(_, bin)| bin).expect("no /usr/lib/postgresql/<version>/bin/initdb")
}

fn is_root() -> bool {
	// `id -u` rather than libc: this crate has no unsafe code.
	Command::new("id")
		.arg("-u")
		.output()
		.map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
		.unwrap_or(false)
}

impl Postgres {
	/// A fresh cluster, started, with a superuser `medchain` trusted on the socket.
	pub fn start() -> Self {
		let dir = tempfile::Builder::new().prefix("medchain-pg-").tempdir().expect("a temp dir");
		if is_root() {
			let status = Command::new("chown")
				.args(["-R", "postgres:postgres"])
				.arg(dir.path())
				.status()
				.expect("chown runs");
			assert!(status.success(), "chown of {} to postgres failed", dir.path().display());
		}
		let mut pg = Self { dir, bin: bin_dir(), running: false };
		let data = pg.data();
		pg.run(
			"initdb",
			&[
				"-D",
				data.to_str().expect("a UTF-8 temp path"),
				"-U",
				"medchain",
				"--auth=trust",
				"--no-sync",
				"-E",
				"UTF8",
			],
		);
		pg.restart();
		pg
	}

	fn data(&self) -> PathBuf {
		self.dir.path().join("data")
	}

	/// The socket directory, which is also the `host` of a connection string.
	pub fn socket_dir(&self) -> &Path {
		self.dir.path()
	}

	/// A libpq/tokio-postgres connection string for the `postgres` database as `medchain`.
	pub fn url(&self) -> String {
		format!("host={} user=medchain dbname=postgres", self.socket_dir().display())
	}

	/// The rows `sql` returns through `psql` (unaligned, one per line, fields split by `|`);
	/// panics if it fails.
	pub fn query(&self, sql: &str) -> Vec<String> {
		let output = Command::new(self.bin.join("psql"))
			.arg("-h")
			.arg(self.socket_dir())
			.args(["-U", "medchain", "-d", "postgres", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
			.output()
			.expect("runs psql");
		assert!(
			output.status.success(),
			"psql {sql:?} failed: {}",
			String::from_utf8_lossy(&output.stderr)
		);
		String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect()
	}

	/// `program` of the cluster's PostgreSQL, as the `postgres` user under root.
	fn command(&self, program: &str) -> Command {
		let path = self.bin.join(program);
		if is_root() {
			let mut c = Command::new("runuser");
			c.args(["-u", "postgres", "--"]).arg(&path);
			c
		} else {
			Command::new(&path)
		}
	}

	fn run(&self, program: &str, args: &[&str]) -> Output {
		let out =
			self.command(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
		assert!(
			out.status.success(),
			"{program} {args:?} failed: {}{}",
			String::from_utf8_lossy(&out.stdout),
			String::from_utf8_lossy(&out.stderr)
		);
		out
	}

	/// Starts the server (again) and waits until it accepts connections.
	pub fn restart(&mut self) {
		let data = self.data();
		let options =
			format!("-c listen_addresses='' -k {} -c fsync=on", self.socket_dir().display());
		let log = self.dir.path().join("server.log");
		self.run(
			"pg_ctl",
			&[
				"-D",
				data.to_str().expect("a UTF-8 temp path"),
				"-o",
				&options,
				"-l",
				log.to_str().expect("a UTF-8 temp path"),
				"-w",
				"-t",
				"60",
				"start",
			],
		);
		self.running = true;
	}

	/// Stops the server (fast shutdown: open connections are cut).
	pub fn stop(&mut self) {
		let data = self.data();
		self.run(
			"pg_ctl",
			&["-D", data.to_str().expect("a UTF-8 temp path"), "-m", "fast", "-w", "stop"],
		);
		self.running = false;
	}
}

impl Drop for Postgres {
	fn drop(&mut self) {
		if self.running {
			let data = self.data();
			let stop = ["-m", "immediate", "-w", "stop"];
			let _ = self.command("pg_ctl").arg("-D").arg(&data).args(stop).output();
		}
	}
}
