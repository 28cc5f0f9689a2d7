//! Benchmarks for `pallet_consent`: one per call, each at its worst case (the longest
//! provision, the patient's lists at or near their bounds, the permitting grant the last one
//! scanned, the directory questions of the longest path), and one for [`Pallet::evaluate_access`],
//! the cost of a consent question other pallets ask. They run as unit tests too
//! (`cargo test -p pallet-consent --features runtime-benchmarks`).
//!
//! The directory must know the accounts the benchmarks use: [`Config::BenchmarkHelper`] sets
//! them up. Lists that only the directory's other accounts could fill (emergency accesses by
//! many physicians) are written to storage directly, consistently with their indexes.

use super::*;
use crate::Pallet as Consent;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::StaticLookup;

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

fn set_block<T: Config>(n: u32) {
	frame_system::Pallet::<T>::set_block_number(n.into());
}

/// As many class tags as a provision holds, all different; the last is [`last_class`].
fn every_class() -> Classes {
	BoundedVec::truncate_from((1..=Classes::bound() as u8).map(|n| ClassTag([n; 32])).collect())
}

/// The tag a full provision lists last (the worst case of a class lookup).
fn last_class() -> ClassTag {
	ClassTag([Classes::bound() as u8; 32])
}

/// The longest provision: every action, the given purposes, [`every_class`] and `records`
/// (at most [`Config::MaxScopeRecords`]).
pub(crate) fn provision<T: Config>(
	effect: Effect,
	purposes: &[PurposeOfUse],
	records: &[RecordId],
) -> ProvisionOf<T> {
	Provision {
		effect,
		actions: BoundedVec::truncate_from(vec![
			ConsentAction::Read,
			ConsentAction::Write,
			ConsentAction::Share,
		]),
		purposes: BoundedVec::truncate_from(purposes.to_vec()),
		classes: every_class(),
		records: BoundedVec::truncate_from(records.to_vec()),
	}
}

/// [`Config::MaxScopeRecords`] records of `patient`: each of its own class (none of
/// [`every_class`]) when `spread`, so that a provision naming them all is indexed under the
/// most classes; otherwise all of [`last_class`], so that an index entry lists the most
/// records.
fn records<T: Config>(
	patient: &T::AccountId,
	spread: bool,
) -> Result<Vec<RecordId>, BenchmarkError> {
	(0..T::MaxScopeRecords::get())
		.map(|index| {
			let class = if spread {
				ClassTag([0x80u8.wrapping_add(index as u8); 32])
			} else {
				last_class()
			};
			Ok(T::BenchmarkHelper::anchor_record(patient, class)?)
		})
		.collect()
}

/// As many record ids as a provision names, for offers that are never accepted (only
/// acceptance checks that they are the patient's).
fn unchecked_records<T: Config>() -> Vec<RecordId> {
	(0..u64::from(T::MaxScopeRecords::get())).collect()
}

/// Fills `patient`'s list with `count` of the longest permits over `records` (every purpose),
/// valid until `until`: the last `to_grantee` of them to `grantee` (so that its index lists
/// are as full as wanted), the rest to other accounts.
fn grants_filling<T: Config>(
	patient: &T::AccountId,
	(grantee, to_grantee): (&T::AccountId, u32),
	count: u32,
	records: &[RecordId],
	until: Option<BlockNumberFor<T>>,
) -> Result<(), BenchmarkError> {
	let to_grantee = to_grantee.min(count);
	for index in 0..count {
		let to: T::AccountId = if index < count.saturating_sub(to_grantee) {
			account("grantee", index, SEED)
		} else {
			grantee.clone()
		};
		Consent::<T>::grant_consent(
			RawOrigin::Signed(patient.clone()).into(),
			Grantee::Account(to),
			provision::<T>(Effect::Permit, &ALL_PURPOSES, records),
			None,
			until,
		)?;
	}
	Ok(())
}

/// Every purpose.
const ALL_PURPOSES: [PurposeOfUse; 6] = PurposeOfUse::ALL;

/// The purposes an offer may propose.
const OFFERABLE: [PurposeOfUse; 4] = [
	PurposeOfUse::Payment,
	PurposeOfUse::Operations,
	PurposeOfUse::Research,
	PurposeOfUse::PublicHealth,
];

/// A registered patient.
fn patient<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let patient: T::AccountId = account("patient", 0, SEED);
	T::BenchmarkHelper::register_patient(&patient)?;
	Ok(patient)
}

/// An organisation administered by `admin`, with `practitioner` active in `role`.
fn organisation<T: Config>(
	admin: &T::AccountId,
	practitioner: &T::AccountId,
	role: PractitionerRole,
) -> Result<OrganisationId, BenchmarkError> {
	Ok(T::BenchmarkHelper::setup_organisation(admin, practitioner, role)?)
}

/// Stores `count` emergency accesses to `patient` by other physicians, opened at block 1 and
/// expiring at block 2 (all reviewed, except when `unreviewed`), with their indexes.
fn emergencies_by_others<T: Config>(patient: &T::AccountId, count: u32, reviewed: bool) {
	let mut list = EmergenciesOf::<T>::default();
	for index in 0..count {
		let id = NextEmergencyId::<T>::get();
		let practitioner: T::AccountId = account("physician", index, SEED);
		let review = reviewed.then(|| Review {
			reviewer: Reviewer::ReviewAuthority,
			at: 2u32.into(),
			justified: true,
		});
		let _ = list.try_push(Emergency {
			id,
			patient: patient.clone(),
			practitioner,
			organisation: 0,
			reason: [0xEEu8; 32],
			opened_at: 1u32.into(),
			expires_at: 2u32.into(),
			review_deadline: 3u32.into(),
			review,
		});
		EmergencyPatient::<T>::insert(id, patient);
		if !reviewed {
			UnreviewedEmergencies::<T>::insert(id, ());
		}
		NextEmergencyId::<T>::put(id.saturating_add(1));
	}
	Emergencies::<T>::insert(patient, list);
}

/// `count` offers of research grants to `patient` over `records`, each by its own researcher.
fn offers<T: Config>(
	patient: &T::AccountId,
	count: u32,
	records: &[RecordId],
) -> Result<(), BenchmarkError> {
	// Offers come from vetted proposers only: researchers active at one organisation.
	let admin: T::AccountId = account("offer admin", 0, SEED);
	let mut organisation = None;
	for index in 0..count {
		let researcher: T::AccountId = account("researcher", index, SEED);
		match organisation {
			None => {
				organisation = Some(T::BenchmarkHelper::setup_organisation(
					&admin,
					&researcher,
					PractitionerRole::Researcher,
				)?)
			},
			Some(org) => T::BenchmarkHelper::add_practitioner(
				&admin,
				org,
				&researcher,
				PractitionerRole::Researcher,
			)?,
		}
		Consent::<T>::propose_grant(
			RawOrigin::Signed(researcher.clone()).into(),
			T::Lookup::unlookup(patient.clone()),
			Grantee::Account(researcher),
			offered::<T>(records),
			None,
			None,
		)
		.map_err(|e| e.error)?;
	}
	Ok(())
}

/// The worst case of an evaluation: the actor is an active emergency physician with no
/// emergency access (every one of the patient's emergency accesses is scanned); the question
/// is about a record of [`last_class`]; both index lists it reads (the grants to the actor's
/// account and to their role, about that class) are full of grants in force that name every
/// other record of the class but not this one (each scanned in full), but for the last grant
/// to the role, which names the class as a whole: a permit. Returns the patient, the actor,
/// the permitting grant and the question's target.
fn evaluation<T: Config>(
) -> Result<(T::AccountId, T::AccountId, GrantId, AccessTarget), BenchmarkError> {
	set_block::<T>(1);
	let patient = patient::<T>()?;
	let actor: T::AccountId = whitelisted_caller();
	let admin: T::AccountId = account("admin", 0, SEED);
	let org = organisation::<T>(&admin, &actor, PractitionerRole::EmergencyPhysician)?;
	let others = records::<T>(&patient, false)?;
	let class = last_class();
	let target =
		AccessTarget::Record { record: T::BenchmarkHelper::anchor_record(&patient, class)?, class };
	let role = Grantee::Role { organisation: org, role: PractitionerRole::EmergencyPhysician };
	let mut not_the_target = provision::<T>(Effect::Permit, &ALL_PURPOSES, &others);
	not_the_target.classes.retain(|tag| *tag != class);
	let per_grantee = T::MaxGrantsPerGrantee::get();
	for grantee in [Grantee::Account(actor.clone()), role.clone()] {
		let count = if grantee == role { per_grantee.saturating_sub(1) } else { per_grantee };
		for _ in 0..count {
			Consent::<T>::grant_consent(
				RawOrigin::Signed(patient.clone()).into(),
				grantee.clone(),
				not_the_target.clone(),
				None,
				None,
			)?;
		}
	}
	let grant = NextGrantId::<T>::get();
	Consent::<T>::grant_consent(
		RawOrigin::Signed(patient.clone()).into(),
		role,
		provision::<T>(Effect::Permit, &ALL_PURPOSES, &others),
		None,
		None,
	)?;
	emergencies_by_others::<T>(&patient, T::MaxEmergenciesPerPatient::get(), false);
	Ok((patient, actor, grant, target))
}

/// The longest provision an offer may propose: [`provision`] for the offerable purposes over
/// `records`, without classes (only the patient knows their tags).
fn offered<T: Config>(records: &[RecordId]) -> ProvisionOf<T> {
	Provision { classes: Default::default(), ..provision::<T>(Effect::Permit, &OFFERABLE, records) }
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Worst case: the patient's list is full, every grant in it expired: each is recorded as
	/// such by this call and moved to the archive to make room; the longest provision, naming
	/// records each of another class (so indexed under the most classes), every one of whose
	/// index lists is full of the grantee's expired grants (dropped to make room).
	#[benchmark]
	fn grant_consent() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		let existing = T::MaxGrantsPerPatient::get();
		let records = records::<T>(&patient, true)?;
		let grantee: T::AccountId = account("grantee", existing, SEED);
		let full = T::MaxGrantsPerGrantee::get();
		grants_filling::<T>(&patient, (&grantee, full), existing, &records, Some(2u32.into()))?;
		set_block::<T>(2);
		let id = NextGrantId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(patient.clone()),
			Grantee::Account(grantee.clone()),
			provision::<T>(Effect::Permit, &ALL_PURPOSES, &records),
			None,
			None,
		);

		assert_last_event::<T>(Event::ConsentGranted {
			grant: id,
			patient: patient.clone(),
			grantee: Grantee::Account(grantee),
			effect: Effect::Permit,
		});
		assert_eq!(PastGrants::<T>::iter_prefix(&patient).count() as u32, existing);
		Ok(())
	}

	/// Worst case: the patient keeps as many grants as allowed, all but the last expired (each
	/// recorded as such, with its event, by this call: security review M5); the last is revoked:
	/// indexed under the most classes, in lists full of its grantee's other grants.
	#[benchmark]
	fn revoke_consent() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		let max = T::MaxGrantsPerPatient::get();
		let records = records::<T>(&patient, true)?;
		let grantee: T::AccountId = account("last grantee", 0, SEED);
		// The grantee's earlier grants (one fewer than its lists hold) expire with the rest.
		let earlier = (&grantee, T::MaxGrantsPerGrantee::get().saturating_sub(1));
		grants_filling::<T>(&patient, earlier, max.saturating_sub(1), &records, Some(2u32.into()))?;
		let last = NextGrantId::<T>::get();
		Consent::<T>::grant_consent(
			RawOrigin::Signed(patient.clone()).into(),
			Grantee::Account(grantee),
			provision::<T>(Effect::Permit, &ALL_PURPOSES, &records),
			None,
			None,
		)?;
		set_block::<T>(3);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), last);

		assert_last_event::<T>(Event::ConsentRevoked { grant: last, patient: patient.clone() });
		let expired = Grants::<T>::get(&patient)
			.unwrap_or_default()
			.iter()
			.filter(|grant| {
				grant.ended.as_ref().is_some_and(|ending| ending.reason == EndReason::Expired)
			})
			.count();
		assert_eq!(expired as u32, max.saturating_sub(1), "every expired grant was recorded");
		Ok(())
	}

	/// Worst case: [`evaluation`], then a receipt.
	#[benchmark]
	fn record_access() -> Result<(), BenchmarkError> {
		let (patient, actor, grant, target) = evaluation::<T>()?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(actor.clone()),
			T::Lookup::unlookup(patient.clone()),
			target,
			PurposeOfUse::EmergencyTreatment,
			ConsentAction::Read,
		);

		assert_last_event::<T>(Event::AccessRecorded {
			patient,
			actor,
			receipt: 0,
			action: ConsentAction::Read,
			purpose: PurposeOfUse::EmergencyTreatment,
			grant: Some(grant),
		});
		Ok(())
	}

	/// Worst case: [`evaluation`] for the requester, through the record's custodian gateway,
	/// then a receipt.
	#[benchmark]
	fn record_access_at_gateway() -> Result<(), BenchmarkError> {
		let (patient, requester, grant, target) = evaluation::<T>()?;
		let AccessTarget::Record { record, .. } = target else {
			return Err(BenchmarkError::Stop("the worst target is a record"));
		};
		let organisation = T::Directory::practitioner_membership(&requester)
			.ok_or(BenchmarkError::Stop("the requester is a practitioner"))?
			.organisation;
		let admin: T::AccountId = account("admin", 0, SEED);
		let gateway: T::AccountId = account("gateway", 0, SEED);
		T::BenchmarkHelper::set_gateway(&admin, organisation, &gateway)?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(gateway),
			T::Lookup::unlookup(requester.clone()),
			record,
			PurposeOfUse::EmergencyTreatment,
			ConsentAction::Read,
		);

		assert_last_event::<T>(Event::ReleasedByGateway {
			patient,
			requester,
			organisation,
			receipt: 0,
			grant: Some(grant),
		});
		Ok(())
	}

	/// Worst case: the patient's emergency accesses are at the bound and none is in force any
	/// more (the last one reviewed, the others not), so all are scanned and archived.
	#[benchmark]
	fn open_emergency_access() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		let physician: T::AccountId = whitelisted_caller();
		let admin: T::AccountId = account("admin", 0, SEED);
		let org = organisation::<T>(&admin, &physician, PractitionerRole::EmergencyPhysician)?;
		let max = T::MaxEmergenciesPerPatient::get();
		emergencies_by_others::<T>(&patient, max.saturating_sub(1), false);
		let mut list = Emergencies::<T>::get(&patient).unwrap_or_default();
		let dropped = NextEmergencyId::<T>::get();
		let _ = list.try_push(Emergency {
			id: dropped,
			patient: patient.clone(),
			practitioner: account("physician", max, SEED),
			organisation: 0,
			reason: [0xE1u8; 32],
			opened_at: 1u32.into(),
			expires_at: 2u32.into(),
			review_deadline: 3u32.into(),
			review: Some(Review {
				reviewer: Reviewer::ReviewAuthority,
				at: 2u32.into(),
				justified: true,
			}),
		});
		Emergencies::<T>::insert(&patient, list);
		EmergencyPatient::<T>::insert(dropped, &patient);
		NextEmergencyId::<T>::put(dropped.saturating_add(1));
		set_block::<T>(10);
		let id = dropped.saturating_add(1);
		let expires_at = BlockNumberFor::<T>::from(10u32) + T::EmergencyDuration::get();
		let review_deadline = BlockNumberFor::<T>::from(10u32) + T::ReviewDeadline::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(physician.clone()), T::Lookup::unlookup(patient.clone()), [0xEEu8; 32]);

		assert_last_event::<T>(Event::EmergencyAccessOpened {
			emergency: id,
			patient: patient.clone(),
			practitioner: physician,
			organisation: org,
			reason: [0xEEu8; 32],
			expires_at,
			review_deadline,
		});
		assert!(PastEmergencies::<T>::contains_key(dropped));
		assert_eq!(Emergencies::<T>::get(&patient).map(|list| list.len()), Some(1));
		Ok(())
	}

	/// Worst case: a privacy officer of the access's organisation (a directory question)
	/// reviews the last of a full list.
	#[benchmark]
	fn review_emergency() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		let physician: T::AccountId = account("emergency physician", 0, SEED);
		let admin: T::AccountId = account("admin", 0, SEED);
		let org = organisation::<T>(&admin, &physician, PractitionerRole::EmergencyPhysician)?;
		let officer: T::AccountId = whitelisted_caller();
		T::BenchmarkHelper::add_practitioner(
			&admin,
			org,
			&officer,
			PractitionerRole::PrivacyOfficer,
		)?;
		emergencies_by_others::<T>(
			&patient,
			T::MaxEmergenciesPerPatient::get().saturating_sub(1),
			false,
		);
		let id = NextEmergencyId::<T>::get();
		Consent::<T>::open_emergency_access(
			RawOrigin::Signed(physician).into(),
			T::Lookup::unlookup(patient.clone()),
			[0xE2u8; 32],
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(officer.clone()), id, true);

		assert_last_event::<T>(Event::EmergencyReviewed {
			emergency: id,
			reviewer: Reviewer::PrivacyOfficer { officer, organisation: org },
			justified: true,
			late: false,
		});
		Ok(())
	}

	/// An organisation admin proposes a role grant with the longest provision while `p` offers
	/// wait for the patient, all expired (each read and removed).
	#[benchmark]
	fn propose_grant(
		p: Linear<0, { T::MaxOffersPerPatient::get() }>,
	) -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		let admin: T::AccountId = whitelisted_caller();
		let officer: T::AccountId = account("claims officer", 0, SEED);
		let org = organisation::<T>(&admin, &officer, PractitionerRole::ClaimsOfficer)?;
		offers::<T>(&patient, p, &unchecked_records::<T>())?;
		let now = BlockNumberFor::<T>::from(1u32) + T::OfferLifetime::get();
		frame_system::Pallet::<T>::set_block_number(now);
		let id = NextOfferId::<T>::get();
		let grantee = Grantee::Role { organisation: org, role: PractitionerRole::ClaimsOfficer };

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin.clone()),
			T::Lookup::unlookup(patient.clone()),
			grantee.clone(),
			offered::<T>(&unchecked_records::<T>()),
			None,
			None,
		);

		assert_last_event::<T>(Event::OfferProposed {
			offer: id,
			patient: patient.clone(),
			proposer: admin,
			grantee,
			expires_at: now + T::OfferLifetime::get(),
		});
		assert_eq!(PatientOffers::<T>::get(&patient).map(|w| w.len()), Some(1));
		Ok(())
	}

	/// Worst case: the patient keeps one grant less than the bound, all expired (recorded by
	/// this call), and as many offers as allowed; the last is accepted.
	#[benchmark]
	fn accept_offer() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		let records = records::<T>(&patient, true)?;
		let offers_made = T::MaxOffersPerPatient::get();
		// The last offer's researcher: its index lists full of expired grants.
		let researcher: T::AccountId = account("researcher", offers_made.saturating_sub(1), SEED);
		grants_filling::<T>(
			&patient,
			(&researcher, T::MaxGrantsPerGrantee::get()),
			T::MaxGrantsPerPatient::get().saturating_sub(1),
			&records,
			Some(2u32.into()),
		)?;
		offers::<T>(&patient, offers_made, &records)?;
		set_block::<T>(2);
		let offer = NextOfferId::<T>::get().saturating_sub(1);
		let grant = NextGrantId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), offer, every_class());

		assert_last_event::<T>(Event::OfferAccepted { offer, grant });
		Ok(())
	}

	/// Worst case: as many offers as allowed, all expired; anyone removes the last.
	#[benchmark]
	fn remove_expired_offer() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		offers::<T>(&patient, T::MaxOffersPerPatient::get(), &unchecked_records::<T>())?;
		let offer = NextOfferId::<T>::get().saturating_sub(1);
		let now = BlockNumberFor::<T>::from(1u32) + T::OfferLifetime::get();
		frame_system::Pallet::<T>::set_block_number(now);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), offer);

		assert_last_event::<T>(Event::OfferExpired { offer, patient });
		assert!(Offers::<T>::get(offer).is_none());
		Ok(())
	}

	/// Worst case: as many offers as allowed; the last is rejected.
	#[benchmark]
	fn reject_offer() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		offers::<T>(&patient, T::MaxOffersPerPatient::get(), &unchecked_records::<T>())?;
		let offer = NextOfferId::<T>::get().saturating_sub(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), offer);

		assert_last_event::<T>(Event::OfferRejected { offer, patient });
		Ok(())
	}

	/// Worst case: as many offers as allowed; the last is withdrawn.
	#[benchmark]
	fn withdraw_offer() -> Result<(), BenchmarkError> {
		set_block::<T>(1);
		let patient = patient::<T>()?;
		let count = T::MaxOffersPerPatient::get();
		offers::<T>(&patient, count, &unchecked_records::<T>())?;
		let offer = NextOfferId::<T>::get().saturating_sub(1);
		let proposer: T::AccountId = account("researcher", count.saturating_sub(1), SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(proposer.clone()), offer);

		assert_last_event::<T>(Event::OfferWithdrawn { offer, proposer });
		Ok(())
	}

	/// One consent question at its worst case ([`evaluation`]).
	#[benchmark]
	fn evaluate_access() -> Result<(), BenchmarkError> {
		let (patient, actor, grant, target) = evaluation::<T>()?;
		let decision;

		#[block]
		{
			decision = Consent::<T>::evaluate_access(
				&patient,
				&actor,
				ConsentAction::Read,
				PurposeOfUse::EmergencyTreatment,
				target,
			);
		}

		assert_eq!(decision.grant, Some(grant));
		assert!(decision.permitted);
		Ok(())
	}

	impl_benchmark_test_suite!(
		Consent,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
