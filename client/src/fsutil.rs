//! File system helpers shared by the key files and the document store.

use std::path::Path;

/// The directory holding `path` (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
	match path.parent() {
		Some(dir) if !dir.as_os_str().is_empty() => dir,
		_ => Path::new("."),
	}
}

/// Makes a rename or removal in `dir` durable (a no-op where directories cannot be synced).
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
	#[cfg(unix)]
	std::fs::File::open(dir)?.sync_all()?;
	#[cfg(not(unix))]
	let _ = dir;
	Ok(())
}

/// Writes `bytes` to `path` atomically (a temporary file in the same directory, fsync, rename,
/// directory sync), with mode 0600 on unix; creates the directory if needed.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
	use std::io::Write;
	let dir = parent_dir(path);
	std::fs::create_dir_all(dir)?;
	let mut options = std::fs::OpenOptions::new();
	options.write(true).create(true).truncate(true);
	#[cfg(unix)]
	{
		use std::os::unix::fs::OpenOptionsExt;
		options.mode(0o600);
	}
	let mut tmp = path.as_os_str().to_owned();
	tmp.push(".tmp");
	let tmp = std::path::PathBuf::from(tmp);
	let mut file = options.open(&tmp)?;
	file.write_all(bytes)?;
	file.sync_all()?;
	std::fs::rename(&tmp, path)?;
	sync_dir(dir)
}
