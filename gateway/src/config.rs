//! The gateway's configuration: a TOML file (`--config`), overridden field by field by the
//! command line and `MEDCHAIN_GATEWAY_*` environment variables ([`Args`]).
//!
//! ```toml
//! listen = "127.0.0.1:8480"
//! node = "ws://127.0.0.1:9944"
//! database-url = "host=/run/postgresql user=medchain dbname=gateway"  # omit: local directory
//! store-dir = "/var/lib/medchain-gateway/store"   # used when database-url is absent
//! home = "/var/lib/medchain-gateway"              # holds keys/<identity>.json
//! identity = "hospital-a-gateway"
//! passphrase-file = "/etc/medchain-gateway/passphrase"
//! replay-window-secs = 60
//! allowed-origins = ["https://portal.example.org"]   # browser apps that may call it
//! ```

use std::{
	net::SocketAddr,
	path::{Path, PathBuf},
};

use serde::Deserialize;

/// The settings a gateway runs with, once file, environment and command line are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
	/// Where it listens.
	pub listen: SocketAddr,
	/// The chain node's WebSocket RPC.
	pub node: String,
	/// PostgreSQL connection string; `None`: the local directory `store_dir`.
	pub database_url: Option<String>,
	/// The local directory store (when there is no database).
	pub store_dir: PathBuf,
	/// The MedChain home holding the gateway's key file.
	pub home: PathBuf,
	/// The gateway identity's name in `<home>/keys`.
	pub identity: String,
	/// The passphrase of a sealed key file.
	pub passphrase_file: Option<PathBuf>,
	/// The replay window, seconds.
	pub replay_window_secs: u64,
	/// The web origins whose pages may call the gateway from a browser (CORS), such as the
	/// patient portal's; none by default, so browsers refuse every cross-origin call.
	pub allowed_origins: Vec<String>,
}

/// The configuration file's fields, all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FileConfig {
	listen: Option<SocketAddr>,
	node: Option<String>,
	database_url: Option<String>,
	store_dir: Option<PathBuf>,
	home: Option<PathBuf>,
	identity: Option<String>,
	passphrase_file: Option<PathBuf>,
	replay_window_secs: Option<u64>,
	allowed_origins: Option<Vec<String>>,
}

/// The command line; each option also reads its `MEDCHAIN_GATEWAY_*` variable.
#[derive(Debug, Default, clap::Parser)]
#[command(
	name = "medchain-gateway",
	version,
	about = "An organisation's custodian gateway for MedChain records"
)]
pub struct Args {
	/// A TOML configuration file.
	#[arg(long, env = "MEDCHAIN_GATEWAY_CONFIG")]
	pub config: Option<PathBuf>,
	/// Address to listen on [default: 127.0.0.1:8480].
	#[arg(long, env = "MEDCHAIN_GATEWAY_LISTEN")]
	pub listen: Option<SocketAddr>,
	/// The chain node's WebSocket RPC [default: ws://127.0.0.1:9944].
	#[arg(long, env = "MEDCHAIN_GATEWAY_NODE")]
	pub node: Option<String>,
	/// PostgreSQL connection string (without it: the local directory store).
	#[arg(long, env = "MEDCHAIN_GATEWAY_DATABASE_URL")]
	pub database_url: Option<String>,
	/// Local directory store [default: gateway-store in the home].
	#[arg(long, env = "MEDCHAIN_GATEWAY_STORE_DIR")]
	pub store_dir: Option<PathBuf>,
	/// MedChain home with the gateway's key file [default: $HOME/.medchain].
	#[arg(long, env = "MEDCHAIN_GATEWAY_HOME")]
	pub home: Option<PathBuf>,
	/// The gateway identity's name.
	#[arg(long = "as", env = "MEDCHAIN_GATEWAY_IDENTITY")]
	pub identity: Option<String>,
	/// File whose first line is the key file's passphrase.
	#[arg(long, env = "MEDCHAIN_GATEWAY_PASSPHRASE_FILE")]
	pub passphrase_file: Option<PathBuf>,
	/// Replay window in seconds [default: 60].
	#[arg(long, env = "MEDCHAIN_GATEWAY_REPLAY_WINDOW_SECS")]
	pub replay_window_secs: Option<u64>,
	/// A web origin whose pages may call the gateway from a browser, such as the patient
	/// portal's `https://portal.example.org` (repeat it, or separate origins with commas).
	#[arg(
		long = "allowed-origin",
		env = "MEDCHAIN_GATEWAY_ALLOWED_ORIGINS",
		value_delimiter = ','
	)]
	pub allowed_origins: Vec<String>,
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
	/// The file cannot be read.
	#[error("configuration file {path}: {reason}")]
	File {
		/// The file.
		path: PathBuf,
		/// Why.
		reason: String,
	},
	/// A required setting is missing or a setting is out of range.
	#[error("{0}")]
	Invalid(String),
}

impl FileConfig {
	/// Reads a configuration file.
	pub fn read(path: &Path) -> Result<Self, ConfigError> {
		let file = |reason: String| ConfigError::File { path: path.to_path_buf(), reason };
		let text = std::fs::read_to_string(path).map_err(|e| file(e.to_string()))?;
		toml::from_str(&text).map_err(|e| file(e.to_string()))
	}
}

impl Args {
	/// The settings: each from the command line or environment, else the file, else its
	/// default. `home` is `$HOME/.medchain` when nothing names it.
	pub fn resolve(
		self,
		file: FileConfig,
		user_home: Option<PathBuf>,
	) -> Result<Config, ConfigError> {
		let home =
			self.home.or(file.home).or_else(|| user_home.map(|h| h.join(".medchain"))).ok_or_else(
				|| ConfigError::Invalid("no home directory: set `home` or --home".into()),
			)?;
		let identity = self.identity.or(file.identity).ok_or_else(|| {
			ConfigError::Invalid(
				"no gateway identity: set `identity` (or --as, MEDCHAIN_GATEWAY_IDENTITY)".into(),
			)
		})?;
		let replay_window_secs = self.replay_window_secs.or(file.replay_window_secs).unwrap_or(60);
		if !(1..=3600).contains(&replay_window_secs) {
			return Err(ConfigError::Invalid(format!(
				"replay-window-secs is {replay_window_secs}: it must be 1 to 3600"
			)));
		}
		let allowed_origins = if self.allowed_origins.is_empty() {
			file.allowed_origins.unwrap_or_default()
		} else {
			self.allowed_origins
		};
		for origin in &allowed_origins {
			check_origin(origin)?;
		}
		Ok(Config {
			listen: self.listen.or(file.listen).unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8480))),
			node: self.node.or(file.node).unwrap_or_else(|| "ws://127.0.0.1:9944".into()),
			database_url: self.database_url.or(file.database_url).filter(|u| !u.is_empty()),
			store_dir: self
				.store_dir
				.or(file.store_dir)
				.unwrap_or_else(|| home.join("gateway-store")),
			passphrase_file: self.passphrase_file.or(file.passphrase_file),
			identity,
			home,
			replay_window_secs,
			allowed_origins,
		})
	}
}

/// Refuses what is not a web origin as a browser sends it: `http` or `https`, a host, an
/// optional port, and nothing after (no path, no trailing slash, no wildcard).
fn check_origin(origin: &str) -> Result<(), ConfigError> {
	let invalid = |why: &str| {
		ConfigError::Invalid(format!(
			"allowed origin `{origin}` {why}: give it as a browser sends it, such as \
			 https://portal.example.org or http://127.0.0.1:5173"
		))
	};
	let rest = origin
		.strip_prefix("https://")
		.or_else(|| origin.strip_prefix("http://"))
		.ok_or_else(|| invalid("does not start with http:// or https://"))?;
	// A host, an IPv6 literal in brackets, or either with a port.
	let (host, port) = match rest.strip_prefix('[') {
		Some(literal) => {
			let (inside, tail) =
				literal.split_once(']').ok_or_else(|| invalid("has an unclosed IPv6 literal"))?;
			match tail {
				"" => (inside, None),
				_ => (inside, Some(tail.strip_prefix(':').ok_or_else(|| invalid("has a path"))?)),
			}
		},
		None => match rest.split_once(':') {
			Some((host, port)) => (host, Some(port)),
			None => (rest, None),
		},
	};
	let host_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == ':';
	if host.is_empty() || !host.chars().all(host_char) {
		return Err(invalid("has no host, or a path, wildcard or other character after it"));
	}
	if let Some(port) = port {
		if port.parse::<u16>().map_or(true, |p| p == 0) {
			return Err(invalid("has a port that is not 1 to 65535"));
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_command_line_overrides_the_file_and_defaults_fill_the_rest() {
		let file: FileConfig = toml::from_str(
			"identity = \"gw-a\"\nnode = \"ws://10.0.0.1:9944\"\nreplay-window-secs = 30\n",
		)
		.unwrap();
		let args = Args { node: Some("ws://127.0.0.1:9955".into()), ..Default::default() };
		let config = args.resolve(file, Some(PathBuf::from("/home/op"))).unwrap();
		assert_eq!(config.node, "ws://127.0.0.1:9955");
		assert_eq!(config.identity, "gw-a");
		assert_eq!(config.replay_window_secs, 30);
		assert_eq!(config.home, PathBuf::from("/home/op/.medchain"));
		assert_eq!(config.store_dir, PathBuf::from("/home/op/.medchain/gateway-store"));
		assert_eq!(config.database_url, None);
		assert_eq!(config.listen, "127.0.0.1:8480".parse().unwrap());
		assert_eq!(config.allowed_origins, Vec::<String>::new());
	}

	#[test]
	fn allowed_origins_come_from_the_command_line_or_the_file() {
		let file: FileConfig = toml::from_str(
			"identity = \"gw\"\nallowed-origins = [\"https://portal.example.org\", \"http://[::1]:5173\"]\n",
		)
		.unwrap();
		let config = Args::default().resolve(file, Some("/h".into())).unwrap();
		assert_eq!(config.allowed_origins, ["https://portal.example.org", "http://[::1]:5173"]);
		let file: FileConfig =
			toml::from_str("identity = \"gw\"\nallowed-origins = [\"https://a.example\"]\n")
				.unwrap();
		let args =
			Args { allowed_origins: vec!["http://127.0.0.1:5173".into()], ..Default::default() };
		let config = args.resolve(file, Some("/h".into())).unwrap();
		assert_eq!(config.allowed_origins, ["http://127.0.0.1:5173"]);
	}

	#[test]
	fn a_bad_configuration_says_what_is_wrong() {
		let unknown = toml::from_str::<FileConfig>("databse-url = \"x\"\n").unwrap_err();
		assert!(unknown.to_string().contains("unknown field `databse-url`"), "{unknown}");
		let none = Args::default().resolve(FileConfig::default(), Some("/h".into())).unwrap_err();
		assert!(none.to_string().contains("no gateway identity"), "{none}");
		let args =
			Args { identity: Some("gw".into()), replay_window_secs: Some(0), ..Default::default() };
		let zero = args.resolve(FileConfig::default(), Some("/h".into())).unwrap_err();
		assert!(zero.to_string().contains("1 to 3600"), "{zero}");
		for origin in [
			"portal.example.org",
			"https://portal.example.org/",
			"https://*.example.org",
			"http://127.0.0.1:0",
			"ftp://x",
		] {
			let args = Args {
				identity: Some("gw".into()),
				allowed_origins: vec![origin.into()],
				..Default::default()
			};
			let refused = args.resolve(FileConfig::default(), Some("/h".into())).unwrap_err();
			assert!(
				refused.to_string().contains(&format!("allowed origin `{origin}`")),
				"{refused}"
			);
		}
		let missing = FileConfig::read(Path::new("/nonexistent/gateway.toml")).unwrap_err();
		assert!(missing.to_string().contains("/nonexistent/gateway.toml"), "{missing}");
	}
}
