//! Benchmarks for `pallet_medical_records`: one per call, each at its worst case (longest
//! fields, the practitioner's or admin's path with its directory and consent questions, the
//! bounds nearly or fully used). They run as unit tests too
//! (`cargo test -p pallet-medical-records --features runtime-benchmarks`).
//!
//! The directory and consent must answer "yes" for the accounts the benchmarks use:
//! [`Config::BenchmarkHelper`] sets them up.

use super::*;
use crate::Pallet as MedicalRecords;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use sp_runtime::traits::StaticLookup;

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

/// A non-zero 32-byte value that differs for each `index`.
fn bytes32(index: u32) -> [u8; 32] {
	let mut out = [0xA5u8; 32];
	for (byte, source) in out.iter_mut().zip(index.to_le_bytes()) {
		*byte = source;
	}
	out
}

/// `len` bytes of `fill`, the first four replaced by `index` (so values differ per index).
fn bytes(index: u32, len: u32, fill: u8) -> vec::Vec<u8> {
	let mut out = vec![fill; len as usize];
	for (byte, source) in out.iter_mut().zip(index.to_le_bytes()) {
		*byte = source;
	}
	out
}

/// The longest CID, different for each `index`.
fn cid<T: Config>(index: u32) -> CidOf<T> {
	BoundedVec::truncate_from(bytes(index, T::MaxCidLen::get(), b'c'))
}

/// The longest wrapped key, different for each `index`.
fn wrapped_key<T: Config>(index: u32) -> WrappedKeyOf<T> {
	BoundedVec::truncate_from(bytes(index, T::MaxWrappedKeyLen::get(), 0x77))
}

/// The ciphertext hash of version `version`.
fn ciphertext(version: u32) -> Commitment {
	bytes32(version.saturating_add(1_000))
}

/// The plaintext commitment of version `version`.
fn plaintext(version: u32) -> Commitment {
	bytes32(version.saturating_add(2_000))
}

/// The content of version `version` (longest CID).
fn content<T: Config>(version: u32) -> VersionContentOf<T> {
	VersionContent {
		ciphertext_hash: ciphertext(version),
		plaintext_commitment: plaintext(version),
		cid: cid::<T>(version),
	}
}

/// The accounts the directory and consent say yes to.
struct Actors<T: Config> {
	/// The admin of the practitioner's organisation.
	admin: T::AccountId,
	/// An active practitioner with write consent for the patient (the whitelisted caller).
	practitioner: T::AccountId,
	/// A registered patient.
	patient: T::AccountId,
	/// The practitioner's organisation.
	organisation: OrganisationId,
}

fn actors<T: Config>() -> Result<Actors<T>, BenchmarkError> {
	let admin: T::AccountId = account("admin", 0, SEED);
	let practitioner: T::AccountId = whitelisted_caller();
	let patient: T::AccountId = account("patient", 0, SEED);
	let organisation =
		T::BenchmarkHelper::setup_practitioner_and_patient(&admin, &practitioner, &patient)?;
	Ok(Actors { admin, practitioner, patient, organisation })
}

/// The practitioner anchors a record about the patient (longest fields); returns its id.
fn anchored<T: Config>(actors: &Actors<T>) -> Result<RecordId, BenchmarkError> {
	let record = NextRecordId::<T>::get();
	MedicalRecords::<T>::anchor_record(
		RawOrigin::Signed(actors.practitioner.clone()).into(),
		T::Lookup::unlookup(actors.patient.clone()),
		BENCHMARK_CLASS,
		content::<T>(1),
		wrapped_key::<T>(1),
		wrapped_key::<T>(2),
	)?;
	Ok(record)
}

/// A fresh data key for `record`, wrapped for every account that holds a key now.
fn rekey_for<T: Config>(record: RecordId, index: u32) -> RekeyOf<T> {
	let keys: vec::Vec<_> = WrappedKeys::<T>::iter_key_prefix(record)
		.map(|holder| (holder, wrapped_key::<T>(index)))
		.collect();
	Rekey { previous_key: wrapped_key::<T>(index), keys: BoundedVec::truncate_from(keys) }
}

/// The practitioner amends `record` until it has `versions` versions, each under a fresh data
/// key (so the record has the longest key chain).
fn amended_to<T: Config>(
	actors: &Actors<T>,
	record: RecordId,
	versions: u32,
) -> Result<(), BenchmarkError> {
	for version in 2..=versions {
		MedicalRecords::<T>::amend_record(
			RawOrigin::Signed(actors.practitioner.clone()).into(),
			record,
			content::<T>(version),
			Some(rekey_for::<T>(record, version)),
		)?;
	}
	Ok(())
}

/// The patient shares `record` until `grantees` accounts hold a wrapped key (the patient and
/// the author are the first two).
fn shared_to<T: Config>(
	actors: &Actors<T>,
	record: RecordId,
	grantees: u32,
) -> Result<(), BenchmarkError> {
	for index in 2..grantees {
		let grantee: T::AccountId = account("grantee", index, SEED);
		T::BenchmarkHelper::allow_reading(&actors.patient, &grantee)?;
		MedicalRecords::<T>::add_wrapped_key(
			RawOrigin::Signed(actors.patient.clone()).into(),
			record,
			T::Lookup::unlookup(grantee),
			wrapped_key::<T>(index),
			PurposeOfUse::Research,
		)?;
	}
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn anchor_record() -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		// Not the patient's first record.
		anchored::<T>(&actors)?;
		let record = NextRecordId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(actors.practitioner.clone()),
			T::Lookup::unlookup(actors.patient.clone()),
			BENCHMARK_CLASS,
			content::<T>(1),
			wrapped_key::<T>(1),
			wrapped_key::<T>(2),
		);

		assert_last_event::<T>(Event::RecordAnchored {
			record,
			subject: actors.patient,
			custodian: Some(actors.organisation),
			author: actors.practitioner,
			version: 1,
			ciphertext_hash: ciphertext(1),
		});
		Ok(())
	}

	#[benchmark]
	fn anchor_self_reported() -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		anchored::<T>(&actors)?;
		let record = NextRecordId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(actors.patient.clone()),
			BENCHMARK_CLASS,
			content::<T>(1),
			wrapped_key::<T>(1),
		);

		assert_last_event::<T>(Event::RecordAnchored {
			record,
			subject: actors.patient.clone(),
			custodian: None,
			author: actors.patient,
			version: 1,
			ciphertext_hash: ciphertext(1),
		});
		Ok(())
	}

	/// The cost does not depend on the batch's size: the largest allowed, after another batch.
	#[benchmark]
	fn anchor_batch() -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		MedicalRecords::<T>::anchor_batch(
			RawOrigin::Signed(actors.practitioner.clone()).into(),
			[0xb0; 32],
			1,
		)?;
		let leaves = T::MaxBatchLeaves::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(actors.practitioner.clone()), [0xb1; 32], leaves);

		assert_last_event::<T>(Event::BatchAnchored {
			batch: 1,
			custodian: actors.organisation,
			author: actors.practitioner,
			root: [0xb1; 32],
			leaves,
		});
		Ok(())
	}

	/// Worst case: the amendment adds the last version allowed.
	#[benchmark]
	fn amend_record() -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		let record = anchored::<T>(&actors)?;
		let last = T::MaxVersions::get();
		amended_to::<T>(&actors, record, last.saturating_sub(1))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(actors.practitioner.clone()), record, content::<T>(last), None);

		assert_last_event::<T>(Event::RecordAmended {
			record,
			version: last,
			supersedes: last.saturating_sub(1),
			author: actors.practitioner,
			ciphertext_hash: ciphertext(last),
		});
		Ok(())
	}

	/// The practitioner amends a record whose key must change (a key was removed), with a
	/// fresh key wrapped for its `k` holders.
	#[benchmark]
	fn amend_record_rekeyed(k: Linear<2, { T::MaxGrantees::get() }>) -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		let record = anchored::<T>(&actors)?;
		let last = T::MaxVersions::get();
		amended_to::<T>(&actors, record, last.saturating_sub(1))?;
		shared_to::<T>(&actors, record, k)?;
		StaleKeys::<T>::insert(record, ());
		let rekey = rekey_for::<T>(record, last);

		#[extrinsic_call]
		amend_record(
			RawOrigin::Signed(actors.practitioner.clone()),
			record,
			content::<T>(last),
			Some(rekey),
		);

		assert_last_event::<T>(Event::RecordAmended {
			record,
			version: last,
			supersedes: last.saturating_sub(1),
			author: actors.practitioner,
			ciphertext_hash: ciphertext(last),
		});
		assert!(!StaleKeys::<T>::contains_key(record));
		assert!(KeyChain::<T>::contains_key(record, last));
		Ok(())
	}

	/// Anyone prunes the key of an account consent permits nothing (every purpose asked).
	#[benchmark]
	fn prune_wrapped_key() -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		let record = anchored::<T>(&actors)?;
		let grantees = T::MaxGrantees::get();
		shared_to::<T>(&actors, record, grantees.saturating_sub(1))?;
		// A key whose consent has ended (written directly: the calls only hand keys to
		// accounts consent permits).
		let holder: T::AccountId = account("former grantee", 0, SEED);
		T::BenchmarkHelper::forbid_reading(&actors.patient, &holder)?;
		WrappedKeys::<T>::insert(record, &holder, wrapped_key::<T>(grantees));
		Records::<T>::mutate(record, |anchor| {
			if let Some(anchor) = anchor {
				anchor.grantees = grantees;
			}
		});
		let caller: T::AccountId = account("anyone", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), record, T::Lookup::unlookup(holder.clone()));

		assert_last_event::<T>(Event::WrappedKeyPruned { record, holder, by: caller });
		assert!(StaleKeys::<T>::contains_key(record));
		Ok(())
	}

	/// The custodian's admin (one more question than the patient) erases a record with `v`
	/// versions and `g` wrapped keys.
	#[benchmark]
	fn erase_record(
		v: Linear<1, { T::MaxVersions::get() }>,
		g: Linear<2, { T::MaxGrantees::get() }>,
	) -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		let record = anchored::<T>(&actors)?;
		amended_to::<T>(&actors, record, v)?;
		shared_to::<T>(&actors, record, g)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(actors.admin.clone()), record);

		assert_last_event::<T>(Event::RecordErased { record, by: actors.admin });
		assert_eq!(WrappedKeys::<T>::iter_prefix(record).count(), 0);
		Ok(())
	}

	/// Worst case: a practitioner (directory question, consent's Share and Read questions)
	/// adds the last grantee allowed.
	#[benchmark]
	fn add_wrapped_key() -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		let record = anchored::<T>(&actors)?;
		let grantees = T::MaxGrantees::get();
		shared_to::<T>(&actors, record, grantees.saturating_sub(1))?;
		let grantee: T::AccountId = account("grantee", grantees, SEED);
		T::BenchmarkHelper::allow_reading(&actors.patient, &grantee)?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(actors.practitioner.clone()),
			record,
			T::Lookup::unlookup(grantee.clone()),
			wrapped_key::<T>(grantees),
			PurposeOfUse::Research,
		);

		assert_last_event::<T>(Event::WrappedKeyAdded { record, grantee, by: actors.practitioner });
		Ok(())
	}

	/// Worst case: a practitioner (directory question) removes a key from a full record.
	#[benchmark]
	fn remove_wrapped_key() -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		let record = anchored::<T>(&actors)?;
		let grantees = T::MaxGrantees::get();
		shared_to::<T>(&actors, record, grantees)?;
		let grantee: T::AccountId = account("grantee", grantees.saturating_sub(1), SEED);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(actors.practitioner.clone()),
			record,
			T::Lookup::unlookup(grantee.clone()),
		);

		assert_last_event::<T>(Event::WrappedKeyRemoved {
			record,
			grantee,
			by: actors.practitioner,
		});
		Ok(())
	}

	/// The patient revokes a grant that delivered `n` keys, each of another record (every
	/// record must then change its data key): what pallet-consent's `revoke_consent` adds.
	#[benchmark]
	fn end_grant_keys(n: Linear<0, { T::MaxKeysPerGrant::get() }>) -> Result<(), BenchmarkError> {
		let actors = actors::<T>()?;
		let holder: T::AccountId = account("grantee", 0, SEED);
		let grant: GrantId = 7;
		let mut records = vec::Vec::new();
		for index in 0..n {
			// Delivered under the grant (written directly: which grant permits a read is
			// consent's business, not what this benchmark measures).
			let record = anchored::<T>(&actors)?;
			WrappedKeys::<T>::insert(record, &holder, wrapped_key::<T>(index));
			KeyGrant::<T>::insert(record, &holder, grant);
			GrantKeys::<T>::insert(grant, (record, holder.clone()), ());
			Records::<T>::mutate(record, |anchor| {
				if let Some(anchor) = anchor {
					anchor.grantees = 3;
				}
			});
			records.push(record);
		}
		if n > 0 {
			GrantKeyCount::<T>::insert(grant, n);
		}

		#[block]
		{
			assert_eq!(MedicalRecords::<T>::end_grant_keys(grant), n);
		}

		for record in records {
			assert!(!WrappedKeys::<T>::contains_key(record, &holder));
			assert!(StaleKeys::<T>::contains_key(record));
		}
		assert!(!GrantKeyCount::<T>::contains_key(grant));
		Ok(())
	}

	impl_benchmark_test_suite!(
		MedicalRecords,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
