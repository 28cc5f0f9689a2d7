//! Benchmarks for `pallet_clinical_trials`: one per call, each at its worst case (the longest
//! outcome lists, registry id and link; the sites and investigators lists full, the entry looked
//! for the last one scanned; the directory and consent questions of the longest path). They run
//! as unit tests too (`cargo test -p pallet-clinical-trials --features runtime-benchmarks`).
//!
//! The directory must know the accounts the benchmarks use: [`Config::BenchmarkHelper`] sets
//! them up. Site lists and investigator lists are filled directly in storage with placeholder
//! entries (the entry that matters is added last, through the directory).
//!
//! The trial calls' authorization verifies a ring VRF proof, which only a client can make: the
//! proofs come from [`crate::benchmark_vectors`], made for the ring of its eight research keys,
//! trial 0 and its genesis hash, which the benchmarks set up exactly.

use super::*;
use crate::{benchmark_vectors as vectors, Pallet as Trials};
use alloc::vec;
use codec::Decode;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::{Authorize, TransactionSource},
	traits::{
		fungible::{Inspect, InspectHold, Mutate},
		Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::Saturating;

const SEED: u32 = 0;

/// The allocation seed the benchmarks commit to.
const ALLOCATION_SEED: AllocationSeed = [7u8; 32];

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

/// A distinct hash for `(tag, index)`.
fn hash(tag: u8, index: u32) -> Commitment {
	let mut h = [tag; 32];
	h[..4].copy_from_slice(&index.to_le_bytes());
	h
}

/// The longest protocol: [`Config::MaxPrimaryOutcomes`] and [`Config::MaxSecondaryOutcomes`]
/// outcomes, all tagged `tag`.
fn full_protocol<T: Config>(tag: u8) -> ProtocolOf<T> {
	Protocol {
		protocol: hash(tag, u32::MAX),
		sap: hash(tag.wrapping_add(1), u32::MAX),
		primary_outcomes: BoundedVec::truncate_from(
			(0..T::MaxPrimaryOutcomes::get()).map(|i| hash(tag, i)).collect(),
		),
		secondary_outcomes: BoundedVec::truncate_from(
			(0..T::MaxSecondaryOutcomes::get()).map(|i| hash(tag.wrapping_add(2), i)).collect(),
		),
	}
}

/// The longest registry id.
fn registry_id<T: Config>() -> RegistryIdOf<T> {
	BoundedVec::truncate_from(vec![b'N'; T::MaxRegistryIdLen::get() as usize])
}

/// The sponsor's admin (the whitelisted caller) and organisation.
///
/// The admin is funded for a hundred registration deposits (the benchmarks register a few
/// trials each).
fn sponsor<T: Config>() -> Result<(T::AccountId, OrganisationId), BenchmarkError> {
	let admin: T::AccountId = whitelisted_caller();
	let organisation = T::BenchmarkHelper::create_organisation(&admin)?;
	let funds = T::RegistrationDeposit::get()
		.saturating_mul(100u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&admin, funds);
	Ok((admin, organisation))
}

/// A trial of `organisation` registered by `admin` with the longest protocol.
fn registered<T: Config>(
	admin: &T::AccountId,
	organisation: OrganisationId,
) -> Result<TrialId, BenchmarkError> {
	let trial = NextTrialId::<T>::get();
	Trials::<T>::register_trial(
		RawOrigin::Signed(admin.clone()).into(),
		organisation,
		Some(registry_id::<T>()),
		full_protocol::<T>(1),
		T::MaxParticipants::get(),
		MAX_ARMS,
		100u32.into(),
	)?;
	Ok(trial)
}

/// Fills `trial`'s sites up to one below [`Config::MaxSites`] with placeholder organisations.
fn placeholder_sites<T: Config>(trial: TrialId) {
	let count = T::MaxSites::get().saturating_sub(1);
	Sites::<T>::insert(
		trial,
		SitesOf::<T>::truncate_from((0..count).map(|i| u32::MAX.saturating_sub(i)).collect()),
	);
}

/// Fills `trial`'s investigators up to one below [`Config::MaxInvestigators`] with
/// placeholder accounts.
fn placeholder_investigators<T: Config>(trial: TrialId) {
	let count = T::MaxInvestigators::get().saturating_sub(1);
	Investigators::<T>::insert(
		trial,
		InvestigatorsOf::<T>::truncate_from(
			(0..count).map(|i| account("placeholder", i, SEED)).collect(),
		),
	);
}

/// Full sites whose last is a real organisation with an active practitioner, who is the last
/// of the full investigators. Returns the investigator.
fn staffed<T: Config>(
	admin: &T::AccountId,
	trial: TrialId,
) -> Result<T::AccountId, BenchmarkError> {
	placeholder_sites::<T>(trial);
	let site_admin: T::AccountId = account("site-admin", 0, SEED);
	let site = T::BenchmarkHelper::create_organisation(&site_admin)?;
	Trials::<T>::add_site(RawOrigin::Signed(admin.clone()).into(), trial, site)?;
	let investigator: T::AccountId = account("investigator", 0, SEED);
	T::BenchmarkHelper::add_practitioner(&investigator, site)?;
	placeholder_investigators::<T>(trial);
	Trials::<T>::add_investigator(
		RawOrigin::Signed(admin.clone()).into(),
		trial,
		investigator.clone(),
	)?;
	Ok(investigator)
}

/// A [`staffed`] trial with a consent form, recruiting. Returns the admin, the trial and the
/// investigator.
fn recruiting<T: Config>() -> Result<(T::AccountId, TrialId, T::AccountId), BenchmarkError> {
	let (admin, organisation) = sponsor::<T>()?;
	let trial = registered::<T>(&admin, organisation)?;
	let investigator = staffed::<T>(&admin, trial)?;
	let origin = || RawOrigin::Signed(admin.clone());
	Trials::<T>::publish_consent_form(origin().into(), trial, hash(40, 1))?;
	Trials::<T>::open_recruitment(
		origin().into(),
		trial,
		randomiser::<T>(),
		hash_of(&ALLOCATION_SEED),
	)?;
	Ok((admin, trial, investigator))
}

/// The trials' randomiser.
fn randomiser<T: Config>() -> T::AccountId {
	account("randomiser", 0, SEED)
}

/// The ring of [`vectors::KEYS`] (ring 0, registered by as many patients), on the chain whose
/// genesis hash is [`vectors::GENESIS`], with trial [`vectors::TRIAL`] recruiting. Returns the
/// admin, the trial and the investigator.
fn ring_and_trial<T: Config>() -> Result<(T::AccountId, TrialId, T::AccountId), BenchmarkError> {
	let genesis = T::Hash::decode(&mut &vectors::GENESIS[..])
		.map_err(|_| BenchmarkError::Stop("the genesis hash is not 32 bytes"))?;
	frame_system::BlockHash::<T>::insert(BlockNumberFor::<T>::from(0u32), genesis);
	for (i, key) in vectors::KEYS.iter().enumerate() {
		let patient: T::AccountId = account("patient", i as u32, SEED);
		T::BenchmarkHelper::register_patient(&patient)?;
		Trials::<T>::register_research_key(RawOrigin::Signed(patient).into(), *key)?;
	}
	let (admin, trial, investigator) = recruiting::<T>()?;
	if trial != vectors::TRIAL || CurrentRing::<T>::get() != 0 {
		return Err(BenchmarkError::Stop("the vectors are for trial 0 and ring 0"));
	}
	Ok((admin, trial, investigator))
}

/// The trials storage (named apart from the pallet alias).
type Trials_<T> = crate::Trials<T>;

/// [`ring_and_trial`] with the vectors' participant enrolled. Returns the admin, the trial and
/// the investigator.
fn enrolled<T: Config>() -> Result<(T::AccountId, TrialId, T::AccountId), BenchmarkError> {
	let (admin, trial, investigator) = ring_and_trial::<T>()?;
	Trials::<T>::enrol(
		RawOrigin::Authorized.into(),
		trial,
		0,
		1,
		vectors::PSEUDONYM,
		vectors::ENROL_PROOF,
	)?;
	Ok((admin, trial, investigator))
}

/// For other pallets' benchmarks (the reward for a trial visit): the vectors' ring and trial 0
/// (recruiting), their participant enrolled, and a visit of theirs anchored as data anchor
/// [`vectors::VISIT_SEQ`]. Returns the sponsor's admin and organisation and the trial.
pub fn anchored_visit<T: Config>() -> Result<(T::AccountId, OrganisationId, TrialId), BenchmarkError>
{
	let (admin, trial, investigator) = enrolled::<T>()?;
	let subject = DataSubject::Participant { pseudonym: vectors::PSEUDONYM, visit: 1 };
	Trials::<T>::anchor_data(RawOrigin::Signed(investigator).into(), trial, subject, hash(60, 0))?;
	let record = Trials_::<T>::get(trial).ok_or(BenchmarkError::Stop("the trial is gone"))?;
	if record.data_anchors != vectors::VISIT_SEQ.saturating_add(1) {
		return Err(BenchmarkError::Stop("the vectors are for the trial's first data anchor"));
	}
	Ok((admin, record.sponsor, trial))
}

/// A trial with one participant, recruitment closed and the data locked. Returns the admin
/// and the trial.
fn locked<T: Config>() -> Result<(T::AccountId, TrialId), BenchmarkError> {
	let (admin, trial, ..) = enrolled::<T>()?;
	let origin = || RawOrigin::Signed(admin.clone());
	Trials::<T>::close_recruitment(origin().into(), trial)?;
	Trials::<T>::lock_data(origin().into(), trial, hash(77, 0))?;
	Ok((admin, trial))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Worst case: the longest registry id and outcome lists (quadratic duplicate check).
	#[benchmark]
	fn register_trial() -> Result<(), BenchmarkError> {
		let (admin, organisation) = sponsor::<T>()?;
		let results_due_period: BlockNumberFor<T> = 100u32.into();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin.clone()),
			organisation,
			Some(registry_id::<T>()),
			full_protocol::<T>(1),
			T::MaxParticipants::get(),
			MAX_ARMS,
			results_due_period,
		);

		// Due counted from the block the call ran in (the runner may set it after the setup).
		let results_due = frame_system::Pallet::<T>::block_number() + results_due_period;
		let deposit = T::RegistrationDeposit::get();
		assert_last_event::<T>(Event::TrialRegistered {
			trial: 0,
			sponsor: organisation,
			registry_id: Some(registry_id::<T>()),
			results_due,
			deposit,
		});
		let reason = HoldReason::TrialRegistration.into();
		assert_eq!(T::Currency::balance_on_hold(&reason, &admin), deposit);
		Ok(())
	}

	/// Worst case: every field changes, both outcome lists the longest.
	#[benchmark]
	fn amend_protocol() -> Result<(), BenchmarkError> {
		let (admin, organisation) = sponsor::<T>()?;
		let trial = registered::<T>(&admin, organisation)?;
		let new = full_protocol::<T>(100);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin),
			trial,
			Some(new.protocol),
			Some(new.sap),
			Some(new.primary_outcomes),
			Some(new.secondary_outcomes),
			hash(99, 0),
		);

		assert_eq!(Trials_::<T>::get(trial).map(|t| t.outcome_changes), Some(2));
		Ok(())
	}

	/// Worst case: the sites one below the bound, every one compared.
	#[benchmark]
	fn add_site() -> Result<(), BenchmarkError> {
		let (admin, organisation) = sponsor::<T>()?;
		let trial = registered::<T>(&admin, organisation)?;
		placeholder_sites::<T>(trial);
		let site = 0;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), trial, site);

		assert_last_event::<T>(Event::SiteAdded { trial, organisation: site });
		Ok(())
	}

	/// Worst case: full sites with the practitioner's the last; investigators one below the
	/// bound.
	#[benchmark]
	fn add_investigator() -> Result<(), BenchmarkError> {
		let (admin, organisation) = sponsor::<T>()?;
		let trial = registered::<T>(&admin, organisation)?;
		placeholder_sites::<T>(trial);
		let site_admin: T::AccountId = account("site-admin", 0, SEED);
		let site = T::BenchmarkHelper::create_organisation(&site_admin)?;
		Trials::<T>::add_site(RawOrigin::Signed(admin.clone()).into(), trial, site)?;
		let investigator: T::AccountId = account("investigator", 0, SEED);
		T::BenchmarkHelper::add_practitioner(&investigator, site)?;
		placeholder_investigators::<T>(trial);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), trial, investigator.clone());

		assert_last_event::<T>(Event::InvestigatorAdded { trial, investigator });
		Ok(())
	}

	/// Worst case: full investigators, the one removed the last.
	#[benchmark]
	fn remove_investigator() -> Result<(), BenchmarkError> {
		let (admin, organisation) = sponsor::<T>()?;
		let trial = registered::<T>(&admin, organisation)?;
		let investigator = staffed::<T>(&admin, trial)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), trial, investigator.clone());

		assert_last_event::<T>(Event::InvestigatorRemoved { trial, investigator });
		Ok(())
	}

	/// Constant cost; the last version allowed.
	#[benchmark]
	fn publish_consent_form() -> Result<(), BenchmarkError> {
		let (admin, organisation) = sponsor::<T>()?;
		let trial = registered::<T>(&admin, organisation)?;
		let existing = T::MaxConsentForms::get().saturating_sub(1);
		for v in 0..existing {
			Trials::<T>::publish_consent_form(
				RawOrigin::Signed(admin.clone()).into(),
				trial,
				hash(40, v),
			)?;
		}
		let version = existing.saturating_add(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), trial, hash(41, 0));

		assert_last_event::<T>(Event::ConsentFormPublished { trial, version, hash: hash(41, 0) });
		Ok(())
	}

	/// Constant cost: a site and a consent form are checked.
	#[benchmark]
	fn open_recruitment() -> Result<(), BenchmarkError> {
		let (admin, organisation) = sponsor::<T>()?;
		let trial = registered::<T>(&admin, organisation)?;
		staffed::<T>(&admin, trial)?;
		Trials::<T>::publish_consent_form(
			RawOrigin::Signed(admin.clone()).into(),
			trial,
			hash(40, 1),
		)?;
		let commitment = hash_of(&ALLOCATION_SEED);
		let randomiser = randomiser::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), trial, randomiser.clone(), commitment);

		assert_last_event::<T>(Event::RecruitmentOpened { trial, randomiser, commitment });
		Ok(())
	}

	/// Constant cost.
	#[benchmark]
	fn close_recruitment() -> Result<(), BenchmarkError> {
		let (admin, trial, _) = recruiting::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), trial);

		assert_last_event::<T>(Event::RecruitmentClosed { trial, enrolled: 0 });
		Ok(())
	}

	/// Constant cost: two reads, two writes (the proof is verified when authorizing).
	#[benchmark]
	fn enrol() -> Result<(), BenchmarkError> {
		let (_, trial, _) = ring_and_trial::<T>()?;
		let pseudonym = vectors::PSEUDONYM;

		#[extrinsic_call]
		_(RawOrigin::Authorized, trial, 0, 1, pseudonym, vectors::ENROL_PROOF);

		assert_last_event::<T>(Event::ParticipantEnrolled { trial, pseudonym, consent_form: 1 });
		Ok(())
	}

	/// The ring proof's verification (constant in the ring's size) and the checks.
	#[benchmark]
	fn authorize_enrol() -> Result<(), BenchmarkError> {
		let (_, trial, _) = ring_and_trial::<T>()?;
		let call = Call::<T>::enrol {
			trial,
			ring: 0,
			consent_form: 1,
			pseudonym: vectors::PSEUDONYM,
			proof: vectors::ENROL_PROOF,
		};

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("enrol must be authorized")?
				.map_err(|_| "the enrolment proof must be valid")?;
		}

		Ok(())
	}

	/// Constant cost: two reads, one write.
	#[benchmark]
	fn reconsent() -> Result<(), BenchmarkError> {
		let (admin, trial, _) = enrolled::<T>()?;
		Trials::<T>::publish_consent_form(RawOrigin::Signed(admin).into(), trial, hash(41, 0))?;
		let pseudonym = vectors::PSEUDONYM;

		#[extrinsic_call]
		_(RawOrigin::Authorized, trial, 0, 2, pseudonym, vectors::RECONSENT_PROOF);

		assert_last_event::<T>(Event::ParticipantReconsented { trial, pseudonym, consent_form: 2 });
		Ok(())
	}

	/// The ring proof's verification and the checks.
	#[benchmark]
	fn authorize_reconsent() -> Result<(), BenchmarkError> {
		let (admin, trial, _) = enrolled::<T>()?;
		Trials::<T>::publish_consent_form(RawOrigin::Signed(admin).into(), trial, hash(41, 0))?;
		let call = Call::<T>::reconsent {
			trial,
			ring: 0,
			consent_form: 2,
			pseudonym: vectors::PSEUDONYM,
			proof: vectors::RECONSENT_PROOF,
		};

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("reconsent must be authorized")?
				.map_err(|_| "the re-consent proof must be valid")?;
		}

		Ok(())
	}

	/// Constant cost: two reads, two writes.
	#[benchmark]
	fn withdraw() -> Result<(), BenchmarkError> {
		let (_, trial, _) = enrolled::<T>()?;
		let pseudonym = vectors::PSEUDONYM;

		#[extrinsic_call]
		_(RawOrigin::Authorized, trial, 0, pseudonym, vectors::WITHDRAW_PROOF);

		assert_last_event::<T>(Event::ParticipantWithdrew { trial, pseudonym });
		Ok(())
	}

	/// The ring proof's verification and the checks.
	#[benchmark]
	fn authorize_withdraw() -> Result<(), BenchmarkError> {
		let (_, trial, _) = enrolled::<T>()?;
		let call = Call::<T>::withdraw {
			trial,
			ring: 0,
			pseudonym: vectors::PSEUDONYM,
			proof: vectors::WITHDRAW_PROOF,
		};

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("withdraw must be authorized")?
				.map_err(|_| "the withdrawal proof must be valid")?;
		}

		Ok(())
	}

	/// Worst case: the current ring one key short of full (its member list the longest read
	/// and written); one key added to the builder and the root recomputed (constant).
	#[benchmark]
	fn register_research_key() -> Result<(), BenchmarkError> {
		let filler = T::MaxRingMembers::get().saturating_sub(1);
		RingMembers::<T>::insert(
			0,
			RingMembersOf::<T>::truncate_from(
				(0..filler)
					.map(|i| {
						let mut key = [0xffu8; 32];
						key[..4].copy_from_slice(&i.to_le_bytes());
						key
					})
					.collect(),
			),
		);
		let patient: T::AccountId = account("patient", 0, SEED);
		T::BenchmarkHelper::register_patient(&patient)?;
		let key = vectors::KEYS[0];

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), key);

		assert_last_event::<T>(Event::ResearchKeyRegistered { patient, ring: 0, key });
		Ok(())
	}

	/// Worst case: the investigator the last of full investigators, their site the last of
	/// full sites; a participant subject (checked).
	#[benchmark]
	fn anchor_data() -> Result<(), BenchmarkError> {
		let (_, trial, investigator) = enrolled::<T>()?;
		let subject = DataSubject::Participant { pseudonym: vectors::PSEUDONYM, visit: u32::MAX };

		#[extrinsic_call]
		_(RawOrigin::Signed(investigator), trial, subject, hash(60, 0));

		assert_last_event::<T>(Event::DataAnchored { trial, seq: 0, subject, hash: hash(60, 0) });
		Ok(())
	}

	/// Constant cost.
	#[benchmark]
	fn lock_data() -> Result<(), BenchmarkError> {
		let (admin, trial, ..) = enrolled::<T>()?;
		Trials::<T>::close_recruitment(RawOrigin::Signed(admin.clone()).into(), trial)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), trial, hash(77, 0));

		assert_last_event::<T>(Event::DataLocked { trial, root: hash(77, 0) });
		Ok(())
	}

	/// Constant cost: one hash.
	#[benchmark]
	fn reveal_allocation() -> Result<(), BenchmarkError> {
		let (_, trial) = locked::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(randomiser::<T>()), trial, ALLOCATION_SEED);

		assert_last_event::<T>(Event::AllocationRevealed { trial, seed: ALLOCATION_SEED });
		Ok(())
	}

	/// Worst case: the longest link.
	#[benchmark]
	fn publish_results() -> Result<(), BenchmarkError> {
		let (admin, trial) = locked::<T>()?;
		let link: LinkOf<T> = BoundedVec::truncate_from(vec![b'h'; T::MaxLinkLen::get() as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin.clone()), trial, hash(88, 0), link);

		let released = T::RegistrationDeposit::get();
		assert_last_event::<T>(Event::DepositReleased { trial, who: admin, amount: released });
		Ok(())
	}

	/// Constant cost (from `Locked`).
	#[benchmark]
	fn terminate() -> Result<(), BenchmarkError> {
		let (admin, trial) = locked::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), trial, hash(66, 0));

		assert_last_event::<T>(Event::TrialTerminated {
			trial,
			reason: hash(66, 0),
			from: TrialStatus::Locked,
		});
		Ok(())
	}

	impl_benchmark_test_suite!(
		Trials,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
