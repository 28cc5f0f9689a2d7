//! Requests to an organisation's gateway, authenticated as chain accounts: no passwords.
//!
//! A request carries one header,
//!
//! ```text
//! Authorization: MedChain account=<ss58>,time=<unix seconds>,signature=<128 hex digits>
//! ```
//!
//! where the signature is the account's sr25519 signature over [`message`]: a domain tag, the
//! gateway's own account (so a request signed for one gateway is refused by every other), the
//! method, the path with its query, the time and the SHA-256 of the body. The gateway accepts a
//! request whose time is within its replay window of its own clock and whose signature it has
//! not seen within that window ([`Claimed::verify`]); everything the request says is covered, so
//! nothing in it can be changed in transit or sent twice.

use sha2::{Digest, Sha256};
use subxt_signer::sr25519;

use crate::{account::AccountId, identity::Identity};

/// The authorization scheme's name, the header value's first word.
pub const SCHEME: &str = "MedChain";

/// The domain tag that starts every signed message.
pub const DOMAIN: &[u8] = b"medchain/gateway-request/v1";

/// Why a request's authorization is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
	/// No `Authorization` header.
	#[error("the request is not signed: send an Authorization: MedChain header")]
	Missing,
	/// The header is not `MedChain account=…,time=…,signature=…`.
	#[error("the Authorization header is malformed: {0}")]
	Malformed(String),
	/// The signature does not verify for the account over this request.
	#[error("the signature does not match the account and the request")]
	BadSignature,
	/// The time is outside the replay window of the gateway's clock.
	#[error("the request's time {time} is more than {window} s from the gateway's clock ({now})")]
	Stale {
		/// The request's time (Unix seconds).
		time: u64,
		/// The gateway's clock.
		now: u64,
		/// The window, in seconds.
		window: u64,
	},
	/// This signature was already used.
	#[error("the request was already received (a replay)")]
	Replayed,
}

/// The SHA-256 of a request body.
pub fn body_hash(body: &[u8]) -> [u8; 32] {
	Sha256::digest(body).into()
}

/// The bytes a request's signature covers.
pub fn message(
	audience: &AccountId,
	method: &str,
	path_and_query: &str,
	time: u64,
	body: &[u8],
) -> Vec<u8> {
	let mut message = Vec::with_capacity(256);
	for part in [
		DOMAIN,
		hex::encode(audience.0).as_bytes(),
		method.to_ascii_uppercase().as_bytes(),
		path_and_query.as_bytes(),
		time.to_string().as_bytes(),
		hex::encode(body_hash(body)).as_bytes(),
	] {
		message.extend_from_slice(part);
		message.push(b'\n');
	}
	message
}

/// The `Authorization` header value with which `signer` sends this request to the gateway whose
/// account is `audience`, at `time` (Unix seconds).
pub fn authorization(
	signer: &Identity,
	audience: &AccountId,
	method: &str,
	path_and_query: &str,
	time: u64,
	body: &[u8],
) -> String {
	let signature = signer.signer.sign(&message(audience, method, path_and_query, time, body));
	format!(
		"{SCHEME} account={},time={time},signature={}",
		signer.signing_account(),
		hex::encode(signature.0)
	)
}

/// A parsed `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
	/// The account the request claims to come from.
	pub account: AccountId,
	/// When it claims to have been signed (Unix seconds).
	pub time: u64,
	/// The signature.
	pub signature: [u8; 64],
}

impl Claimed {
	/// Parses a header value.
	pub fn parse(header: &str) -> Result<Self, AuthError> {
		let malformed = |why: &str| AuthError::Malformed(why.to_string());
		let rest = header
			.strip_prefix(SCHEME)
			.and_then(|r| r.strip_prefix(' '))
			.ok_or_else(|| malformed("it must start with \"MedChain \""))?;
		let (mut account, mut time, mut signature) = (None, None, None);
		for field in rest.split(',') {
			let (name, value) = field
				.trim()
				.split_once('=')
				.ok_or_else(|| malformed("each field is name=value"))?;
			let slot = match name {
				"account" => &mut account,
				"time" => &mut time,
				"signature" => &mut signature,
				other => return Err(AuthError::Malformed(format!("unknown field {other:?}"))),
			};
			if slot.replace(value).is_some() {
				return Err(AuthError::Malformed(format!("field {name:?} given twice")));
			}
		}
		let account = account
			.ok_or_else(|| malformed("no account"))?
			.parse::<AccountId>()
			.map_err(|e| AuthError::Malformed(format!("account: {e}")))?;
		let time = time
			.ok_or_else(|| malformed("no time"))?
			.parse::<u64>()
			.map_err(|_| malformed("time is not a whole number of seconds"))?;
		let mut bytes = [0u8; 64];
		hex::decode_to_slice(signature.ok_or_else(|| malformed("no signature"))?, &mut bytes)
			.map_err(|_| malformed("signature is not 64 bytes in hex"))?;
		Ok(Self { account, time, signature: bytes })
	}

	/// Checks the signature over the request `method path_and_query body` sent to `audience`,
	/// and the time against `now` within `window` seconds. The caller still has to refuse a
	/// signature it has seen before ([`AuthError::Replayed`]) for as long as the time is in the
	/// window.
	pub fn verify(
		&self,
		audience: &AccountId,
		method: &str,
		path_and_query: &str,
		body: &[u8],
		now: u64,
		window: u64,
	) -> Result<(), AuthError> {
		if self.time.abs_diff(now) > window {
			return Err(AuthError::Stale { time: self.time, now, window });
		}
		let signed = message(audience, method, path_and_query, self.time, body);
		let public = sr25519::PublicKey(self.account.0);
		if sr25519::verify(&sr25519::Signature(self.signature), signed, &public) {
			Ok(())
		} else {
			Err(AuthError::BadSignature)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn alice() -> Identity {
		Identity::from_secret_uri("alice", "//Alice").unwrap()
	}

	fn gateway() -> AccountId {
		Identity::from_secret_uri("gw", "//GatewayA").unwrap().account()
	}

	fn signed(body: &[u8]) -> Claimed {
		let header = authorization(&alice(), &gateway(), "post", "/fhir/Binary", 1_000, body);
		Claimed::parse(&header).unwrap()
	}

	#[test]
	fn a_signed_request_verifies_for_its_account() {
		let claimed = signed(b"{}");
		assert_eq!(claimed.account, alice().account());
		assert_eq!(claimed.time, 1_000);
		assert_eq!(claimed.verify(&gateway(), "POST", "/fhir/Binary", b"{}", 1_030, 60), Ok(()));
	}

	#[test]
	fn any_change_to_the_request_breaks_the_signature() {
		let claimed = signed(b"{}");
		let other_gateway = alice().account();
		for (audience, method, path, body) in [
			(other_gateway, "POST", "/fhir/Binary", b"{}".as_slice()),
			(gateway(), "GET", "/fhir/Binary", b"{}"),
			(gateway(), "POST", "/fhir/Binary?x=1", b"{}"),
			(gateway(), "POST", "/fhir/Binary", b"{ }"),
		] {
			assert_eq!(
				claimed.verify(&audience, method, path, body, 1_000, 60),
				Err(AuthError::BadSignature)
			);
		}
		let mut forged = claimed.clone();
		forged.time = 1_001;
		assert_eq!(
			forged.verify(&gateway(), "POST", "/fhir/Binary", b"{}", 1_000, 60),
			Err(AuthError::BadSignature)
		);
	}

	#[test]
	fn a_request_outside_the_window_is_stale() {
		let claimed = signed(b"");
		assert_eq!(
			claimed.verify(&gateway(), "POST", "/fhir/Binary", b"", 1_061, 60),
			Err(AuthError::Stale { time: 1_000, now: 1_061, window: 60 })
		);
		assert!(matches!(
			claimed.verify(&gateway(), "POST", "/fhir/Binary", b"", 939, 60),
			Err(AuthError::Stale { .. })
		));
	}

	#[test]
	fn malformed_headers_are_named() {
		let good = authorization(&alice(), &gateway(), "GET", "/", 5, b"");
		let cases = [
			("Basic YWxhZGRpbjpvcGVuc2VzYW1l".to_string(), "start with"),
			(good.replace("time=5", "time=five"), "whole number"),
			(good.replace("account=", "acct="), "unknown field"),
			(format!("{good},time=6"), "given twice"),
			(good.replace(",time=5", ""), "no time"),
			(good[..good.len() - 2].to_string(), "64 bytes"),
			(format!("MedChain account=X,time=5,signature={}", "00".repeat(64)), "account"),
		];
		for (header, why) in cases {
			match Claimed::parse(&header) {
				Err(AuthError::Malformed(message)) => {
					assert!(message.contains(why), "{header}: {message}")
				},
				other => panic!("{header}: {other:?}"),
			}
		}
	}
}
