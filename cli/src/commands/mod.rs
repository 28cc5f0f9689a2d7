//! The handlers, one module per command group: each turns its arguments into a call of the
//! `medchain-client` function of the same name and its result into an [`Output`](crate::output::Output).

pub(crate) mod claims;
pub(crate) mod consent;
pub(crate) mod council;
pub(crate) mod directory;
pub(crate) mod keys;
pub(crate) mod prescriptions;
pub(crate) mod records;
pub(crate) mod recovery;
pub(crate) mod rewards;
pub(crate) mod trials;

use crate::error::CliError;

/// `bytes` as `0x` and hex digits.
pub(crate) fn hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// The amount of MED `text` gives for the argument `flag` (a usage error otherwise).
pub(crate) fn med(text: &str, flag: &str) -> Result<u128, CliError> {
	medchain_client::money::parse_med(text).map_err(|e| CliError::Usage(format!("{flag}: {e}")))
}

/// `days` (the argument `flag`) in blocks (a usage error if it does not fit).
pub(crate) fn blocks_for_days(days: u32, flag: &str) -> Result<u32, CliError> {
	days.checked_mul(medchain_client::recovery::BLOCKS_PER_DAY)
		.ok_or_else(|| CliError::Usage(format!("{flag} {days} is too long")))
}
