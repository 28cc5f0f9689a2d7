//! MedChain accounts and their addresses.
//!
//! An account is 32 bytes (an sr25519 public key). Its address is the SS58 form with MedChain's
//! own prefix, [`SS58_PREFIX`] (4242: addresses begin with `m`), the `ss58Format` the node
//! announces in its chain properties. Everything the client shows or writes (CLI output, `--json`,
//! key files, patient cards and their file names) uses that form.
//!
//! Reading, an address with MedChain's prefix or with the generic Substrate prefix 42 (`5…`, what
//! dev tools and files written before MedChain had its prefix show) is accepted: both name the
//! same account. An address of another network is refused, so an account copied from a Polkadot
//! wallet is not taken for a MedChain account by mistake.
//!
//! Byte format (the SS58 specification): base58 of `prefix ‖ account ‖ checksum`, where the
//! prefix takes one byte below 64 and two bytes from 64 to 16383, and the checksum is the first
//! two bytes of BLAKE2b-512(`"SS58PRE" ‖ prefix ‖ account`).

use std::{fmt, str::FromStr};

use blake2::{Blake2b512, Digest};
use subxt::ext::{codec, scale_decode, scale_encode};

/// MedChain's SS58 prefix (the runtime's `System::SS58Prefix`; a client test checks they agree).
pub const SS58_PREFIX: u16 = 4242;

/// The generic Substrate prefix, accepted when reading.
pub const GENERIC_SS58_PREFIX: u16 = 42;

/// A MedChain account: shown, serialised and parsed as a MedChain address.
///
/// The generated runtime types use it wherever the runtime has an `AccountId`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	codec::Encode,
	codec::Decode,
	scale_encode::EncodeAsType,
	scale_decode::DecodeAsType,
)]
#[codec(crate = subxt::ext::codec)]
#[encode_as_type(crate_path = "subxt::ext::scale_encode")]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
pub struct AccountId(pub [u8; 32]);

/// Why a text is not a MedChain address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
	/// Not base58, or not the length of an account address.
	#[error("`{0}` is not an account address")]
	Malformed(String),
	/// The checksum does not match: a character was mistyped.
	#[error("`{0}` is not an account address: its checksum is wrong (a mistyped character?)")]
	Checksum(String),
	/// A valid address of another network.
	#[error(
		"`{address}` is an address of another network (SS58 prefix {prefix}); MedChain \
		 addresses have prefix {SS58_PREFIX} (or the generic {GENERIC_SS58_PREFIX})"
	)]
	OtherNetwork {
		/// The address.
		address: String,
		/// Its prefix.
		prefix: u16,
	},
}

impl AccountId {
	/// The account's address with `prefix` (at most 16383).
	pub fn to_ss58_with(&self, prefix: u16) -> String {
		let mut data = encode_prefix(prefix);
		data.extend_from_slice(&self.0);
		let hash = checksum(&data);
		data.extend_from_slice(&hash[..2]);
		bs58::encode(data).into_string()
	}

	/// The account's address with the generic Substrate prefix (42), as files written before
	/// MedChain had its own prefix name it.
	pub fn to_generic_ss58(&self) -> String {
		self.to_ss58_with(GENERIC_SS58_PREFIX)
	}

	/// The account and the prefix its address `text` carries.
	pub fn parse_with_prefix(text: &str) -> Result<(Self, u16), AddressError> {
		let malformed = || AddressError::Malformed(text.to_string());
		let data = bs58::decode(text).into_vec().map_err(|_| malformed())?;
		let (prefix, prefix_len) = match data.as_slice() {
			[first @ 0..=63, ..] => (u16::from(*first), 1),
			[first @ 64..=127, second, ..] => {
				let lower = (first << 2) | (second >> 6);
				let upper = second & 0b0011_1111;
				(u16::from(lower) | (u16::from(upper) << 8), 2)
			},
			_ => return Err(malformed()),
		};
		if data.len() != prefix_len + 32 + 2 {
			return Err(malformed());
		}
		let (body, check) = data.split_at(prefix_len + 32);
		if checksum(body)[..2] != *check {
			return Err(AddressError::Checksum(text.to_string()));
		}
		let account: [u8; 32] = body[prefix_len..].try_into().map_err(|_| malformed())?;
		Ok((Self(account), prefix))
	}
}

/// The one or two bytes of an SS58 prefix (ident below 16384).
fn encode_prefix(prefix: u16) -> Vec<u8> {
	let [low, high] = prefix.to_le_bytes();
	if prefix < 64 {
		vec![low]
	} else {
		vec![((low & 0b1111_1100) >> 2) | 0b0100_0000, (high & 0b0011_1111) | ((low & 0b11) << 6)]
	}
}

fn checksum(data: &[u8]) -> [u8; 64] {
	let mut hasher = Blake2b512::new();
	hasher.update(b"SS58PRE");
	hasher.update(data);
	hasher.finalize().into()
}

impl fmt::Display for AccountId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(&self.to_ss58_with(SS58_PREFIX))
	}
}

impl fmt::Debug for AccountId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		fmt::Display::fmt(self, f)
	}
}

impl FromStr for AccountId {
	type Err = AddressError;

	/// An address with MedChain's prefix or the generic one; another network's is refused.
	fn from_str(text: &str) -> Result<Self, Self::Err> {
		match Self::parse_with_prefix(text)? {
			(account, SS58_PREFIX | GENERIC_SS58_PREFIX) => Ok(account),
			(_, prefix) => Err(AddressError::OtherNetwork { address: text.to_string(), prefix }),
		}
	}
}

impl serde::Serialize for AccountId {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.collect_str(self)
	}
}

impl<'de> serde::Deserialize<'de> for AccountId {
	fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
		let text = String::deserialize(deserializer)?;
		text.parse().map_err(serde::de::Error::custom)
	}
}

impl From<[u8; 32]> for AccountId {
	fn from(bytes: [u8; 32]) -> Self {
		Self(bytes)
	}
}

impl From<subxt::utils::AccountId32> for AccountId {
	fn from(account: subxt::utils::AccountId32) -> Self {
		Self(account.0)
	}
}

impl From<AccountId> for subxt::utils::AccountId32 {
	fn from(account: AccountId) -> Self {
		Self(account.0)
	}
}

impl From<subxt_signer::sr25519::PublicKey> for AccountId {
	fn from(key: subxt_signer::sr25519::PublicKey) -> Self {
		Self(key.0)
	}
}

impl AsRef<[u8]> for AccountId {
	fn as_ref(&self) -> &[u8] {
		&self.0
	}
}

/// Decimals of MedChain's token, MED (the runtime's `TOKEN_DECIMALS`: 1 MED is 10¹² base units).
pub const TOKEN_DECIMALS: u32 = 12;

/// An amount of MED in base units, shown in MED with no trailing zeros (`100 MED`,
/// `0.001 MED`); serialised as its base units in a decimal string, as polkadot.js does for
/// balances (a JSON number would lose precision above 2⁵³).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Amount(pub u128);

impl fmt::Display for Amount {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let unit = 10u128.pow(TOKEN_DECIMALS);
		let (whole, fraction) = (self.0 / unit, self.0 % unit);
		if fraction == 0 {
			return write!(f, "{whole} MED");
		}
		let digits = format!("{fraction:0width$}", width = TOKEN_DECIMALS as usize);
		write!(f, "{whole}.{} MED", digits.trim_end_matches('0'))
	}
}

impl serde::Serialize for Amount {
	fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
		serializer.serialize_str(&self.0.to_string())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn alice() -> AccountId {
		subxt_signer::sr25519::dev::alice().public_key().into()
	}

	// Vectors from `medchain-node key inspect //Alice` (sp-core's SS58 codec) with the node's
	// prefix set to 4242, and the well-known generic address of //Alice.
	const ALICE_MEDCHAIN: &str = "mHpNjVNAj3mWbGmzwFqAt3Et9CLcYrpuYZbJ7um8uJY2uJ7E4";
	const ALICE_GENERIC: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

	#[test]
	fn addresses_match_the_reference_codec() {
		assert_eq!(alice().to_string(), ALICE_MEDCHAIN);
		assert_eq!(alice().to_generic_ss58(), ALICE_GENERIC);
		assert_eq!(ALICE_MEDCHAIN.parse::<AccountId>().unwrap(), alice());
		assert_eq!(ALICE_GENERIC.parse::<AccountId>().unwrap(), alice());
		assert_eq!(AccountId::parse_with_prefix(ALICE_MEDCHAIN).unwrap(), (alice(), 4242));
	}

	#[test]
	fn every_two_byte_prefix_round_trips() {
		for prefix in [64, 255, 256, 4242, 16383] {
			let text = alice().to_ss58_with(prefix);
			assert_eq!(AccountId::parse_with_prefix(&text).unwrap(), (alice(), prefix));
		}
	}

	#[test]
	fn bad_addresses_are_refused_with_what_is_wrong() {
		let polkadot = alice().to_ss58_with(0);
		assert_eq!(
			polkadot.parse::<AccountId>().unwrap_err(),
			AddressError::OtherNetwork { address: polkadot.clone(), prefix: 0 }
		);
		let mut typo = ALICE_MEDCHAIN.to_string();
		typo.replace_range(10..11, "z");
		assert_eq!(typo.parse::<AccountId>().unwrap_err(), AddressError::Checksum(typo.clone()));
		for bad in ["", "alice", "0OIl", &ALICE_MEDCHAIN[..40]] {
			assert_eq!(bad.parse::<AccountId>().unwrap_err(), AddressError::Malformed(bad.into()));
		}
	}

	#[test]
	fn the_prefix_is_the_runtimes() {
		let bytes = include_bytes!("../metadata/medchain.scale");
		let metadata = subxt::metadata::Metadata::decode_from(&bytes[..]).unwrap();
		let system = metadata.pallet_by_name("System").unwrap();
		let constant = system.constant_by_name("SS58Prefix").unwrap();
		assert_eq!(constant.value(), SS58_PREFIX.to_le_bytes());
	}

	#[test]
	fn json_and_scale_forms() {
		let json = serde_json::to_string(&alice()).unwrap();
		assert_eq!(json, format!("\"{ALICE_MEDCHAIN}\""));
		assert_eq!(serde_json::from_str::<AccountId>(&json).unwrap(), alice());
		assert!(serde_json::from_str::<AccountId>("\"nobody\"").is_err());
		use codec::{Decode, Encode};
		assert_eq!(alice().encode(), alice().0.to_vec());
		assert_eq!(AccountId::decode(&mut &alice().0[..]).unwrap(), alice());
	}

	#[test]
	fn amounts_show_in_med_and_serialise_as_base_units() {
		assert_eq!(Amount(100 * 10u128.pow(12)).to_string(), "100 MED");
		assert_eq!(Amount(10u128.pow(9)).to_string(), "0.001 MED");
		assert_eq!(Amount(1_500_000_000_001).to_string(), "1.500000000001 MED");
		assert_eq!(Amount(0).to_string(), "0 MED");
		assert_eq!(
			serde_json::to_string(&Amount(u128::MAX)).unwrap(),
			format!("\"{}\"", u128::MAX)
		);
	}

	#[test]
	fn the_token_decimals_are_the_runtimes() {
		// The client does not link the runtime; its source is the reference.
		let runtime = include_str!("../../runtime/src/lib.rs");
		assert!(
			runtime.contains(&format!("pub const TOKEN_DECIMALS: u8 = {TOKEN_DECIMALS};")),
			"the client's decimals match the runtime's"
		);
	}
}
