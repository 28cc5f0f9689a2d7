//! Custodian gateways: an organisation's admin publishes, replaces and withdraws its gateway;
//! other pallets learn which organisation a gateway account acts for.

use super::mock::*;
use crate::{valid_endpoint, EndpointOf, Error, Event, Gateway, GatewayAccounts, Gateways};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use medchain_primitives::DirectoryInspect;
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// The first organisation's gateway account.
const GATEWAY_A: u64 = 30;
/// Another gateway account.
const GATEWAY_B: u64 = 31;

fn url(s: &str) -> EndpointOf<Test> {
	BoundedVec::try_from(s.as_bytes().to_vec()).expect("test URLs fit")
}

fn set(
	admin: u64,
	organisation: u32,
	account: u64,
	endpoint: &str,
	key: u8,
) -> sp_runtime::DispatchResult {
	Directory::set_gateway(
		RuntimeOrigin::signed(admin),
		organisation,
		account,
		url(endpoint),
		b32(key),
	)
}

fn gateway_of(who: u64) -> Option<u32> {
	<Directory as DirectoryInspect<u64>>::gateway_organisation(&who)
}

#[test]
fn an_admin_publishes_the_gateway_and_other_pallets_see_its_account() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		System::set_block_number(4);
		assert_ok!(set(ADMIN_A, a, GATEWAY_A, "https://a.example:8443", 5));
		assert_last_event(Event::GatewaySet {
			organisation: a,
			account: GATEWAY_A,
			endpoint: url("https://a.example:8443"),
			encryption_key: b32(5),
		});
		assert_eq!(
			Gateways::<Test>::get(a),
			Some(Gateway {
				account: GATEWAY_A,
				endpoint: url("https://a.example:8443"),
				encryption_key: b32(5),
				set_at: 4,
			})
		);
		assert_eq!(GatewayAccounts::<Test>::get(GATEWAY_A), Some(a));
		assert_eq!(gateway_of(GATEWAY_A), Some(a));
		// Nobody else is a gateway: not the admin, not a practitioner.
		assert_eq!(gateway_of(ADMIN_A), None);
		assert_eq!(gateway_of(DOC), None);
	});
}

#[test]
fn replacing_the_account_frees_the_old_one() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert_ok!(set(ADMIN_A, a, GATEWAY_A, "https://a.example", 5));
		// Same account, new endpoint and key: one entry, updated.
		assert_ok!(set(ADMIN_A, a, GATEWAY_A, "http://10.0.0.7:8080", 6));
		assert_eq!(Gateways::<Test>::get(a).map(|g| g.endpoint), Some(url("http://10.0.0.7:8080")));
		assert_eq!(GatewayAccounts::<Test>::get(GATEWAY_A), Some(a));
		// A new account: the old one no longer acts for the organisation, and may serve another.
		assert_ok!(set(ADMIN_A, a, GATEWAY_B, "http://10.0.0.7:8080", 6));
		assert_eq!(gateway_of(GATEWAY_A), None);
		assert_eq!(gateway_of(GATEWAY_B), Some(a));
		assert_ok!(set(ADMIN_B, b, GATEWAY_A, "https://b.example", 7));
		assert_eq!(gateway_of(GATEWAY_A), Some(b));
	});
}

#[test]
fn set_gateway_refuses_what_is_wrong_and_changes_nothing() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert_noop!(
			set(ADMIN_A, 9, GATEWAY_A, "https://a.example", 5),
			Error::<Test>::OrganisationNotFound
		);
		assert_noop!(
			set(ADMIN_B, a, GATEWAY_A, "https://a.example", 5),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(set(DOC, a, GATEWAY_A, "https://a.example", 5), Error::<Test>::NotAuthorized);
		assert_noop!(
			Directory::set_gateway(
				RuntimeOrigin::root(),
				a,
				GATEWAY_A,
				url("https://a.example"),
				b32(5)
			),
			DispatchError::BadOrigin
		);
		for bad in [
			"",
			"a.example",
			"ftp://a.example",
			"https://",
			"http://",
			"https://a b",
			"https://a\n",
			"https://é",
		] {
			assert_noop!(set(ADMIN_A, a, GATEWAY_A, bad, 5), Error::<Test>::InvalidEndpoint);
		}
		assert_noop!(
			set(ADMIN_A, a, GATEWAY_A, "https://a.example", 0),
			Error::<Test>::EmptyEncryptionKey
		);

		assert_ok!(set(ADMIN_B, b, GATEWAY_B, "https://b.example", 7));
		assert_noop!(
			set(ADMIN_A, a, GATEWAY_B, "https://a.example", 5),
			Error::<Test>::GatewayAccountTaken
		);
		assert_noop!(
			set(ADMIN_B, b, GATEWAY_B, "https://b.example", 7),
			Error::<Test>::GatewayUnchanged
		);

		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert_noop!(
			set(ADMIN_A, a, GATEWAY_A, "https://a.example", 5),
			Error::<Test>::OrganisationInactive
		);
		assert_eq!(Gateways::<Test>::get(a), None);
	});
}

#[test]
fn a_deactivated_organisations_gateway_acts_for_nobody_until_reactivated() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_ok!(set(ADMIN_A, a, GATEWAY_A, "https://a.example", 5));
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert_eq!(gateway_of(GATEWAY_A), None);
		// The entry stays (clients can still see where the records are held).
		assert!(Gateways::<Test>::contains_key(a));
		assert_ok!(Directory::reactivate_organisation(RuntimeOrigin::root(), a));
		assert_eq!(gateway_of(GATEWAY_A), Some(a));
	});
}

#[test]
fn remove_gateway_withdraws_it_also_while_deactivated() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert_ok!(set(ADMIN_A, a, GATEWAY_A, "https://a.example", 5));
		assert_noop!(
			Directory::remove_gateway(RuntimeOrigin::signed(ADMIN_A), 9),
			Error::<Test>::OrganisationNotFound
		);
		assert_noop!(
			Directory::remove_gateway(RuntimeOrigin::signed(ADMIN_B), a),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Directory::remove_gateway(RuntimeOrigin::signed(ADMIN_B), b),
			Error::<Test>::NoGateway
		);
		assert_noop!(Directory::remove_gateway(RuntimeOrigin::root(), a), DispatchError::BadOrigin);

		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert_ok!(Directory::remove_gateway(RuntimeOrigin::signed(ADMIN_A), a));
		assert_last_event(Event::GatewayRemoved { organisation: a, account: GATEWAY_A });
		assert_eq!(Gateways::<Test>::get(a), None);
		assert_eq!(GatewayAccounts::<Test>::get(GATEWAY_A), None);
		assert_noop!(
			Directory::remove_gateway(RuntimeOrigin::signed(ADMIN_A), a),
			Error::<Test>::NoGateway
		);
	});
}

#[test]
fn an_endpoint_is_an_http_url_of_printable_ascii() {
	for good in ["https://a", "http://a", "https://h.example:8443/fhir", "http://[::1]:80"] {
		assert!(valid_endpoint(good.as_bytes()), "{good}");
	}
	for bad in
		["", "https:/a", "HTTPS://a", "file:///etc", "https://a b", "https://a\t", "http://\x7f"]
	{
		assert!(!valid_endpoint(bad.as_bytes()), "{bad:?}");
	}
}

#[test]
fn an_endpoint_longer_than_the_bound_is_refused_when_decoded() {
	use codec::{Decode, Encode};
	let long = alloc_url(MAX_ENDPOINT_LEN as usize + 1);
	assert!(EndpointOf::<Test>::decode(&mut &long.encode()[..]).is_err());
	assert!(
		EndpointOf::<Test>::decode(&mut &alloc_url(MAX_ENDPOINT_LEN as usize).encode()[..]).is_ok()
	);
}

fn alloc_url(len: usize) -> Vec<u8> {
	let mut url = b"https://".to_vec();
	url.resize(len, b'x');
	url
}
