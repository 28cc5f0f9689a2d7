//! File system helpers shared by the key files, the document store and the gateway's directory
//! store.

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

/// Writes `bytes` to a new file `path` atomically (a temporary file with mode 0600 in the same
/// directory, fsync, a rename that never replaces an existing file, directory sync); creates the
/// directory if needed. Fails with [`std::io::ErrorKind::AlreadyExists`] if `path` exists.
/// For files holding secrets: key files, allocation seeds, a gateway's wrapped keys.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
	write_secret(path, bytes, false)
}

/// Writes `bytes` to `path` atomically as [`write_private`] does, replacing the file if it
/// exists: a crash leaves either the old file or the new one, never a mix.
pub(crate) fn replace_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
	write_secret(path, bytes, true)
}

fn write_secret(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
	use std::io::Write;
	let dir = parent_dir(path);
	std::fs::create_dir_all(dir)?;
	// `tempfile` creates the file with mode 0600 on Unix; set it anyway.
	let mut tmp = tempfile::Builder::new().prefix(".medchain-").tempfile_in(dir)?;
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o600))?;
	}
	tmp.write_all(bytes)?;
	tmp.as_file().sync_all()?;
	if replace {
		tmp.persist(path).map_err(|e| e.error)?;
	} else {
		tmp.persist_noclobber(path).map_err(|e| e.error)?;
	}
	sync_dir(dir)
}

/// The permission bits of `path` if group or others may access it (a file holding a secret
/// must not be), `None` if only its owner may (always `None` where there are no such bits).
pub(crate) fn shared_mode(path: &Path) -> std::io::Result<Option<u32>> {
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
		if mode & 0o077 != 0 {
			return Ok(Some(mode));
		}
	}
	#[cfg(not(unix))]
	let _ = std::fs::metadata(path)?;
	Ok(None)
}
