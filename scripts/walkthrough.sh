#!/usr/bin/env bash
# The walkthrough of docs/client.md, run for real: every step is printed as the command a user
# types, followed by what `medchain` answered. Needs a fresh dev chain on ws://127.0.0.1:9944
# (`scripts/dev-chain.sh` in another terminal); uses a temporary MEDCHAIN_HOME unless one is set.
#
#   scripts/walkthrough.sh            # records, sharing, revocation, erasure, the access log
#   scripts/walkthrough.sh trial      # then a small clinical trial
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# The same build as scripts/dev-chain.sh and the tests (one feature set, no rebuild).
cargo test --locked --workspace --no-run -q
BIN="$CARGO_TARGET_DIR/debug/medchain"
export MEDCHAIN_HOME="${MEDCHAIN_HOME:-$(mktemp -d /tmp/medchain-walkthrough.XXXX)}"
WORK="$MEDCHAIN_HOME/files"
mkdir -p "$WORK"

# Prints the command as typed, runs it, prints its output (stdout; progress lines go to stderr
# and are left out so the transcript stays short). A refusal is shown, not fatal.
step() {
	echo
	local shown=()
	for arg in "$@"; do
		case $arg in
		*[[:space:]]*) shown+=("\"$arg\"") ;;
		*) shown+=("$arg") ;;
		esac
	done
	echo "\$ medchain ${shown[*]}"
	if ! "$BIN" "$@" 2>"$WORK/stderr"; then
		grep '^error' "$WORK/stderr" || cat "$WORK/stderr"
	fi
}
# Runs quietly and prints only the value of the JSON field $1 (for ids used by later steps).
field() {
	local name=$1
	shift
	"$BIN" --json "$@" 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin)['$name'])"
}

echo "# MEDCHAIN_HOME=$MEDCHAIN_HOME"
for pair in registrar://Alice admin-a://Bob admin-b://Ferdie provider-a://Charlie \
	provider-b://Dave patient://Eve patient-2://One \
	patient-3://Two patient-4://Eve//stash; do
	step keys import --name "${pair%%:*}" --suri "${pair#*:}"
done

step --as registrar directory register-org --name "St Elsewhere" --admin admin-a
step --as registrar directory register-org --name "County General" --admin admin-b
step --as admin-a directory invite --org 0 --practitioner provider-a --role physician \
	--authority GMC --licence GMC-7000123
step --as provider-a directory accept --org 0
step --as admin-b directory invite --org 1 --practitioner provider-b --role physician \
	--authority GMC --licence GMC-7000456
step --as provider-b directory accept --org 1
step --as provider-a keys register
step --as provider-b keys register
step --as patient directory register-patient
step directory show patient
# Hospital 0 knows Eve by her account for it alone (security review H3).
step --as patient keys alias --for 0
step --as provider-a records add --patient patient-org-0 --file cli/tests/fixtures/observation.json
step --as patient-org-0 keys card --out "$WORK/patient-card.json"
step --as provider-a patients import "$WORK/patient-card.json"

step --as patient-org-0 consent grant --org 0 --role physician --actions read,write \
	--purposes treatment --classes general
step --as provider-a records add --patient patient-org-0 --file cli/tests/fixtures/observation.json
step --as patient-org-0 records list
step --as provider-b records get 0
step --as patient-org-0 records share 0 --with provider-b
step --as provider-b records get 0 --out "$WORK/read-by-b.json"
step --as patient-org-0 consent list
step consent evaluate --patient patient-org-0 --actor provider-b --record 0
step --as patient-org-0 consent revoke 1
step --as provider-b records get 0
step --as patient-org-0 records erase 0
step --as provider-a records get 0
step --as patient-org-0 consent log

[ "${1:-}" = trial ] || exit 0

printf 'Protocol v1: metformin vs placebo\n' >"$WORK/protocol.txt"
printf 'Analysis plan v1: ANCOVA on HbA1c\n' >"$WORK/sap.txt"
printf 'Consent form v1\n' >"$WORK/consent-form-v1.txt"
step --as admin-a trials register --sponsor 0 --registry-id NCT09990001 \
	--protocol "$WORK/protocol.txt" --sap "$WORK/sap.txt" \
	--primary "HbA1c change at 26 weeks" --secondary "Weight change at 26 weeks" \
	--planned 2 --arms 2 --results-due-blocks 10000
step --as admin-a trials add-site 0 --org 0
step --as admin-a trials add-investigator 0 --investigator provider-a
step --as admin-a trials publish-consent-form 0 --file "$WORK/consent-form-v1.txt"
commitment=$(field commitment --as admin-b trials seed 0)
echo "(admin-b, the randomiser, drew the seed; commitment $commitment)"
step --as admin-a trials open 0 --randomiser admin-b --commitment "$commitment"
step --as patient trials enrol 0
for who in patient-2 patient-3 patient-4; do
	"$BIN" --as "$who" directory register-patient >/dev/null 2>&1
done
echo "(patient-2, patient-3 and patient-4 registered as patients)"
for who in patient patient-2 patient-3 patient-4; do
	step --as "$who" trials research-key
done
for who in patient patient-2; do
	step --as "$who" trials enrol 0
done
p1=$(field pseudonym --as patient trials me 0)
p2=$(field pseudonym --as patient-2 trials me 0)
printf 'visit,1\nhba1c,7.1\n' >"$WORK/visit-1a.csv"
printf 'visit,1\nhba1c,6.8\n' >"$WORK/visit-1b.csv"
step --as provider-a trials anchor 0 --participant "$p1" --visit 1 --file "$WORK/visit-1a.csv"
step --as provider-a trials anchor 0 --participant "$p2" --visit 1 --file "$WORK/visit-1b.csv"
step --as admin-a trials amend 0 --primary "HbA1c change at 12 weeks" \
	--reason "Shorter follow-up"
step --as patient-2 trials withdraw 0
step --as provider-a trials anchor 0 --participant "$p2" --visit 2 --file "$WORK/visit-1b.csv"
step --as admin-a trials close 0
printf 'pseudonym,visit,hba1c\n' >"$WORK/dataset.csv"
step --as admin-a trials lock 0 --file "$WORK/dataset.csv"
step --as admin-a trials reveal 0
step --as admin-b trials reveal 0
printf 'Results: no difference in HbA1c\n' >"$WORK/results.txt"
step --as admin-a trials publish-results 0 --file "$WORK/results.txt" \
	--link https://example.org/nct09990001
step trials status 0
step trials overdue
