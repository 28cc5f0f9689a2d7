//! `try_state` catches each kind of inconsistency between storage items. These tests corrupt
//! storage on purpose, so they do not use `build_and_execute`.

use super::mock::*;
use crate::{
	ring, Amendments, ConsentForm, ConsentForms, CurrentRing, DataAnchors, DataLock, Investigators,
	NextTrialId, Participants, PendingResults, RegistryIds, ResearchKeyOwners, ResearchKeys,
	RingBuilders, RingMembers, RingRoots, Sites, TrialOf, TrialStatus,
};
use frame_support::{assert_ok, BoundedVec};
use polkadot_sdk::*;

/// A populated, consistent pallet: trial 0 active with Alice (withdrawn) and Bob, a second
/// consent form Bob re-consented to, an outcome-changing amendment, two anchors; trial 1
/// registered without registry id; trial 2 completed with its seed revealed; ring 0 of the four
/// patients' research keys.
fn populated() {
	let t = recruiting();
	enrol(t, ALICE);
	enrol(t, BOB);
	assert_ok!(Trials::anchor_data(
		RuntimeOrigin::signed(INVESTIGATOR),
		t,
		crate::DataSubject::Batch { batch: 1 },
		h(60)
	));
	assert_ok!(Trials::amend_protocol(
		RuntimeOrigin::signed(ADMIN),
		t,
		None,
		None,
		Some(primary(&[11])),
		None,
		h(99)
	));
	assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(41)));
	submit(reconsent_call(t, BOB, 2));
	withdraw(t, ALICE);
	assert_ok!(Trials::anchor_data(
		RuntimeOrigin::signed(INVESTIGATOR),
		t,
		crate::DataSubject::Participant { pseudonym: pseudonym(t, BOB), visit: 1 },
		h(61)
	));
	assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
	register_with(None);
	let done = register_with(Some(b"NCT0003"));
	assert_ok!(Trials::add_site(RuntimeOrigin::signed(ADMIN), done, SITE_A));
	assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), done, h(40)));
	open(done);
	assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), done));
	assert_ok!(Trials::lock_data(RuntimeOrigin::signed(ADMIN), done, h(77)));
	assert_ok!(Trials::publish_results(RuntimeOrigin::signed(ADMIN), done, h(88), link(b"x")));
	assert_ok!(Trials::reveal_allocation(RuntimeOrigin::signed(RANDOMISER), done, SEED));
	assert_ok!(Trials::do_try_state());
}

/// Runs `corrupt` on a populated pallet and asserts that `try_state` reports exactly `broken`,
/// the invariant the corruption breaks.
fn detects(broken: &'static str, corrupt: impl FnOnce()) {
	medchain_test_utils::assert_detects(
		new_test_ext_plain(),
		populated,
		corrupt,
		Trials::do_try_state,
		broken,
	);
}

fn new_test_ext_plain() -> sp_io::TestExternalities {
	ExtBuilder.build()
}

fn edit(id: crate::TrialId, f: impl FnOnce(&mut TrialOf<Test>)) {
	crate::Trials::<Test>::mutate(id, |t| f(t.as_mut().expect("the trial exists")));
}

#[test]
fn a_consistent_pallet_passes() {
	new_test_ext_plain().execute_with(|| {
		assert_ok!(Trials::do_try_state());
		populated();
		assert_ok!(Trials::do_try_state());
	});
}

#[test]
fn detects_a_trial_id_at_or_above_next_trial_id_or_under_a_wrong_key() {
	detects("a trial is stored under a wrong id", || NextTrialId::<Test>::put(2));
	detects("a trial is stored under a wrong id", || edit(1, |t| t.id = 0));
}

#[test]
fn detects_a_registry_index_out_of_step() {
	detects("a registry id is missing from RegistryIds", || {
		RegistryIds::<Test>::remove(registry(b"NCT0001"))
	});
	detects("RegistryIds has an entry without its trial", || {
		RegistryIds::<Test>::insert(registry(b"NCT0009"), 1)
	});
	detects("a registry id is missing from RegistryIds", || {
		RegistryIds::<Test>::insert(registry(b"NCT0001"), 2)
	});
	detects("a registry id is missing from RegistryIds", || {
		edit(1, |t| t.registry_id = Some(registry(b"NCT0005")))
	});
}

#[test]
fn detects_pending_results_out_of_step() {
	detects("PendingResults does not match the trial's results", || {
		PendingResults::<Test>::remove(1)
	});
	detects("PendingResults does not match the trial's results", || {
		PendingResults::<Test>::insert(1, 5)
	});
	detects("PendingResults does not match the trial's results", || {
		PendingResults::<Test>::insert(2, 101)
	});
	detects("PendingResults lists a trial that does not exist", || {
		PendingResults::<Test>::insert(8, 101)
	});
}

#[test]
fn detects_wrong_participant_counts() {
	detects("a trial's enrolled count does not match", || edit(0, |t| t.enrolled = 1));
	detects("a trial's withdrawn count does not match", || edit(0, |t| t.withdrawn = 0));
	detects("a trial's enrolled count does not match", || {
		Participants::<Test>::remove(0, pseudonym(0, BOB))
	});
	detects("a participant consented to a form that does not exist", || {
		let p = Participants::<Test>::get(0, pseudonym(0, BOB)).unwrap();
		Participants::<Test>::insert(1, [1; 32], p);
	});
	detects("a participant consented to a form that does not exist", || {
		Participants::<Test>::mutate(0, pseudonym(0, BOB), |p| p.as_mut().unwrap().consent_form = 3)
	});
}

#[test]
fn detects_rings_out_of_step() {
	detects("a ring without members", || RingMembers::<Test>::insert(0, BoundedVec::new()));
	detects("a ring beyond the current one", || {
		RingMembers::<Test>::insert(1, BoundedVec::truncate_from(vec![research_key(ALICE)]))
	});
	detects("a ring before the current one is not full", || CurrentRing::<Test>::put(1));
	detects("a ring's builder does not hold its members", || {
		RingMembers::<Test>::mutate(0, |m| m.truncate(3))
	});
	detects("a ring's builder does not hold its members", || RingBuilders::<Test>::remove(0));
	detects("a ring's root is not its builder's", || {
		RingRoots::<Test>::insert(0, ring::root(&ring::empty_ring()))
	});
	detects("a ring holds an invalid key", || {
		RingMembers::<Test>::mutate(0, |m| m[1] = [0xff; 32])
	});
	detects("a ring member is not its owner's research key", || {
		ResearchKeys::<Test>::insert(ALICE, (1, research_key(ALICE)))
	});
	detects("a ring member is not its owner's research key", || {
		ResearchKeyOwners::<Test>::insert(research_key(ALICE), BOB)
	});
	detects("research keys outside the rings", || {
		ResearchKeys::<Test>::insert(MALLORY, (0, research_key(MALLORY)))
	});
	detects("a ring builder or root without members", || {
		RingRoots::<Test>::insert(3, ring::root(&ring::empty_ring()))
	});
}

#[test]
fn detects_a_randomiser_without_a_commitment() {
	detects("a trial's randomiser does not match its commitment", || {
		edit(0, |t| t.randomiser = None)
	});
	detects("a trial's randomiser does not match its commitment", || {
		edit(1, |t| t.randomiser = Some(RANDOMISER))
	});
}

#[test]
fn detects_non_contiguous_consent_forms() {
	detects("a consent-form version is missing", || ConsentForms::<Test>::remove(0, 1));
	detects("consent-form versions are not 1..=current", || {
		ConsentForms::<Test>::insert(0, 3, ConsentForm { version: 3, hash: h(1), published_at: 1 })
	});
	detects("a consent-form version is missing", || {
		ConsentForms::<Test>::insert(0, 2, ConsentForm { version: 5, hash: h(1), published_at: 1 })
	});
	detects("a consent-form version is missing", || edit(0, |t| t.consent_form = 3));
}

#[test]
fn detects_non_contiguous_amendments_or_a_wrong_outcome_count() {
	detects("an amendment version is missing", || Amendments::<Test>::remove(0, 2));
	detects("amendments are not 2..=version", || {
		let a = Amendments::<Test>::get(0, 2).unwrap();
		Amendments::<Test>::insert(0, 3, a);
	});
	detects("outcome_changes does not count the amendments", || edit(0, |t| t.outcome_changes = 0));
	detects("amendments are not 2..=version", || edit(0, |t| t.protocol_version = 1));
	detects("an amendment of no trial", || {
		let a = Amendments::<Test>::get(0, 2).unwrap();
		Amendments::<Test>::insert(9, 2, a);
	});
}

#[test]
fn detects_a_status_inconsistent_with_the_fields() {
	detects("a trial past registration has no allocation commitment", || {
		edit(0, |t| t.allocation_commitment = None)
	});
	detects("a revealed seed does not match the commitment", || {
		edit(0, |t| t.allocation_seed = Some([0; 32]))
	});
	detects("a registered trial has a commitment or participants", || {
		edit(1, |t| t.allocation_commitment = Some(h(5)))
	});
	detects("a trial's data lock does not match its status", || {
		edit(0, |t| t.status = TrialStatus::Locked)
	});
	detects("a trial's data lock does not match its status", || {
		edit(0, |t| t.lock = Some(DataLock { root: h(1), at: 1 }))
	});
	detects("a completed trial has no results", || edit(2, |t| t.results = None));
	detects("a trial has results but is neither completed nor terminated", || {
		edit(2, |t| t.status = TrialStatus::Locked)
	});
	detects("a trial's termination does not match its status", || {
		edit(1, |t| t.status = TrialStatus::Terminated)
	});
	detects("a trial's counts exceed its plan", || edit(0, |t| t.enrolled = PLANNED + 1));
}

#[test]
fn detects_data_anchor_count_out_of_step() {
	detects("a data anchor is missing", || edit(0, |t| t.data_anchors = 3));
	detects("a data anchor is missing", || DataAnchors::<Test>::remove(0, 1));
	detects("data anchors are not 0..count", || {
		let a = DataAnchors::<Test>::get(0, 0).unwrap();
		DataAnchors::<Test>::insert(0, 2, a);
	});
}

#[test]
fn detects_duplicated_or_orphan_sites_and_investigators() {
	detects("a site is listed twice", || {
		Sites::<Test>::insert(0, BoundedVec::truncate_from(vec![SITE_A, SITE_A]))
	});
	detects("sites of no trial", || {
		Sites::<Test>::insert(9, BoundedVec::truncate_from(vec![SITE_A]))
	});
	detects("an investigator is listed twice", || {
		Investigators::<Test>::insert(
			0,
			BoundedVec::truncate_from(vec![INVESTIGATOR, INVESTIGATOR]),
		)
	});
	detects("investigators of no trial", || {
		Investigators::<Test>::insert(9, BoundedVec::truncate_from(vec![INVESTIGATOR]))
	});
}

#[test]
fn detects_deposits_out_of_step_with_trials_and_holds() {
	use crate::{Deposits, HoldReason};
	use frame_support::traits::{fungible::MutateHold, tokens::Precision};
	detects("a deposit is held for a trial that does not exist or has results", || {
		Deposits::<Test>::insert(9, (ADMIN, DEPOSIT))
	});
	// Trial 2 has published its results (and its deposit went back).
	detects("a deposit is held for a trial that does not exist or has results", || {
		Deposits::<Test>::insert(2, (ADMIN, DEPOSIT))
	});
	detects("a deposit of nothing is recorded", || Deposits::<Test>::insert(1, (ADMIN, 0)));
	detects("a depositor's held balance is not the sum of their deposits", || {
		assert_ok!(Balances::release(
			&HoldReason::TrialRegistration.into(),
			&ADMIN,
			1,
			Precision::Exact
		));
	});
	detects("a depositor's held balance is not the sum of their deposits", || {
		Deposits::<Test>::insert(1, (OTHER_ADMIN, DEPOSIT))
	});
}
