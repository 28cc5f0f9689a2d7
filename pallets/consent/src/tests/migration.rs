//! The storage migration to version 1: the decision index built from the grants made before it.

use super::mock::*;
use crate::{migrations::v1::IndexGrants, GrantClasses, GrantIndex, Pallet};
use frame_support::{
	assert_ok,
	traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
};
use medchain_primitives::{
	AccessTarget::{Class, Record},
	ConsentAction::{Read, Write},
	PurposeOfUse::Treatment,
};
use polkadot_sdk::*;

#[test]
fn the_migration_indexes_every_listed_grant_and_decisions_stay_the_same() {
	ExtBuilder.build_and_execute(|| {
		add_record(5, ALICE, MENTAL_HEALTH);
		let permit = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		let deny =
			grant(ALICE, account(DOC), provision(Effect::Deny, &[Read], &[Treatment], &[], &[5]));
		let revoked = grant(ALICE, account(NURSE), treat_general(Effect::Permit));
		System::set_block_number(3);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), revoked));
		let questions = || {
			[
				Consent::evaluate_access(&ALICE, &DOC, Write, Treatment, Class(GENERAL)),
				Consent::evaluate_access(&ALICE, &DOC, Read, Treatment, Class(MENTAL_HEALTH)),
				Consent::evaluate_access(
					&ALICE,
					&DOC,
					Read,
					Treatment,
					Record { record: 5, class: MENTAL_HEALTH },
				),
				Consent::evaluate_access(&ALICE, &NURSE, Read, Treatment, Class(GENERAL)),
			]
		};
		let before = questions();
		assert_eq!(before[0].grant, Some(permit));
		assert_eq!(before[1].grant, Some(deny));
		let index: alloc::vec::Vec<_> = GrantIndex::<Test>::iter().collect();
		let classes: alloc::vec::Vec<_> = GrantClasses::<Test>::iter().collect();

		// A chain from before the index: the grants only, at storage version 0.
		let _ = GrantIndex::<Test>::clear(u32::MAX, None);
		let _ = GrantClasses::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Pallet<Test>>();
		assert!(questions().iter().all(|decision| !decision.permitted && decision.grant.is_none()));

		IndexGrants::<Test>::on_runtime_upgrade();
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(questions(), before);
		let mut rebuilt: alloc::vec::Vec<_> = GrantIndex::<Test>::iter().collect();
		let mut expected = index;
		rebuilt.sort_by_key(|(key, _)| codec::Encode::encode(key));
		expected.sort_by_key(|(key, _)| codec::Encode::encode(key));
		assert_eq!(rebuilt, expected);
		let mut rebuilt_classes: alloc::vec::Vec<_> = GrantClasses::<Test>::iter().collect();
		let mut expected_classes = classes;
		rebuilt_classes.sort_by_key(|(id, _)| *id);
		expected_classes.sort_by_key(|(id, _)| *id);
		assert_eq!(rebuilt_classes, expected_classes);

		// Run again at version 1: nothing changes.
		IndexGrants::<Test>::on_runtime_upgrade();
		assert_eq!(questions(), before);
	});
}
