// Chain-state checks for the MedChain zombienet tests.
//
// Every step of a .zndsl file calls this one file:
//
//   <node>: js-script ./chain.js with "<mode>,<arg>,..." return is 1 within <T> seconds
//
// zombienet calls run(nodeName, networkInfo, args) once and does not retry, so each mode polls
// the chain itself until its condition holds or its own deadline (the last argument, a little
// shorter than the step's `within`) passes, and then throws an error that says what it saw.
// State shared between steps is kept in JSON files under networkInfo.tmpDir; a one-line result
// per check is appended to <tmpDir>/results.txt (run.sh prints it).
//
// Lists of nodes are joined with "+" (zombienet splits the arguments on ",").
//
// Everything is read over JSON-RPC (HTTP on each node's RPC port) or with @polkadot/api
// (decoding storage, events and BABE pre-digests). Only `join` (a new validator's own
// transactions and the council's motion that makes room for it) and `soak` (a transfer flood)
// sign transactions.
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");
const { ApiPromise, Keyring, WsProvider } = require("@polkadot/api");
const { cryptoWaitReady } = require("@polkadot/util-crypto");

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => Date.now();
const ZERO_HASH = "0x" + "0".repeat(64);

// ---------------------------------------------------------------------------------------------
// Plumbing

function httpUri(networkInfo, name) {
	const node = networkInfo.nodesByName[name];
	if (!node) throw new Error(`no node named ${name}`);
	return node.wsUri.replace(/^ws/, "http");
}

/** One JSON-RPC call over HTTP; rejects on a transport error, a timeout or an RPC error. */
function rpc(uri, method, params = [], timeoutMs = 5000) {
	return new Promise((resolve, reject) => {
		const body = JSON.stringify({ id: 1, jsonrpc: "2.0", method, params });
		const req = http.request(
			uri,
			{
				method: "POST",
				headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) },
				timeout: timeoutMs,
			},
			(res) => {
				let data = "";
				res.on("data", (c) => (data += c));
				res.on("end", () => {
					try {
						const json = JSON.parse(data);
						if (json.error) reject(new Error(`${method}: ${JSON.stringify(json.error)}`));
						else resolve(json.result);
					} catch (e) {
						reject(new Error(`${method}: bad response ${data.slice(0, 200)}`));
					}
				});
			},
		);
		req.on("timeout", () => req.destroy(new Error(`${method}: timeout after ${timeoutMs} ms`)));
		req.on("error", reject);
		req.end(body);
	});
}

/** Finalized head {number, hash} and best number of a node, over HTTP. */
async function heads(uri) {
	const hash = await rpc(uri, "chain_getFinalizedHead");
	const fin = await rpc(uri, "chain_getHeader", [hash]);
	const best = await rpc(uri, "chain_getHeader");
	return { fin: parseInt(fin.number, 16), finHash: hash, best: parseInt(best.number, 16) };
}

/** Hash of block `n` on the node's canonical chain, or null if it does not know one. */
async function hashAt(uri, n) {
	const h = await rpc(uri, "chain_getBlockHash", [n]);
	return h && h !== ZERO_HASH ? h : null;
}

/** An ApiPromise connected to the node, retrying until `deadline` (ms since the epoch). */
async function connect(networkInfo, name, deadline) {
	const { wsUri } = networkInfo.nodesByName[name];
	let lastErr;
	while (now() < deadline) {
		const provider = new WsProvider(wsUri, false);
		try {
			await provider.connect();
			const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
			return api;
		} catch (e) {
			lastErr = e;
			await provider.disconnect().catch(() => {});
			await sleep(2000);
		}
	}
	throw new Error(`could not connect to ${name} (${wsUri}): ${lastErr}`);
}

function stateFile(networkInfo, label) {
	return path.join(networkInfo.tmpDir, `chain-${label}.json`);
}
function save(networkInfo, label, value) {
	fs.writeFileSync(stateFile(networkInfo, label), JSON.stringify(value, null, 1));
}
function load(networkInfo, label) {
	return JSON.parse(fs.readFileSync(stateFile(networkInfo, label), "utf8"));
}
function report(networkInfo, line) {
	const stamp = new Date().toISOString().slice(11, 19);
	console.log(`    [chain.js ${stamp}] ${line}`);
	fs.appendFileSync(path.join(networkInfo.tmpDir, "results.txt"), `${stamp} ${line}\n`);
}
const nodeList = (arg) => arg.split("+").filter(Boolean);
const secs = (arg, dflt) => (arg === undefined || arg === "" ? dflt : Number(arg)) * 1000;

/** Polls `probe` (which returns a truthy value when done) every `everyMs` until `deadline`. */
async function until(deadline, everyMs, probe, describe) {
	let last;
	while (now() < deadline) {
		try {
			const r = await probe();
			if (r) return r;
		} catch (e) {
			last = e.message;
		}
		await sleep(everyMs);
	}
	throw new Error(`timed out: ${await describe()}${last ? ` (last error: ${last})` : ""}`);
}

/** The authority index in a header's BABE pre-runtime digest, and its slot. */
function babePreDigest(api, header) {
	for (const log of header.digest.logs) {
		if (!log.isPreRuntime) continue;
		const [engine, data] = log.asPreRuntime;
		if (engine.toString() !== "BABE") continue;
		const pd = api.registry.createType("RawBabePreDigest", data.toU8a(true));
		const inner = pd.isPrimary ? pd.asPrimary : pd.isSecondaryPlain ? pd.asSecondaryPlain : pd.asSecondaryVRF;
		return { kind: pd.type, authorityIndex: inner.authorityIndex.toNumber(), slot: inner.slotNumber.toBigInt() };
	}
	throw new Error(`block #${header.number} has no BABE pre-digest`);
}

/**
 * The BABE authority index of `subject` in the epoch of block `hash`, read from the chain
 * (`babe.authorities` at that block) and matched against the keys in the subject's own
 * keystore (`author_hasKey`), so that it does not depend on how the keys were made; index -1
 * (and key null) when the subject holds none of them.
 */
async function authorityIndexOf(api, hash, networkInfo, subject) {
	const authorities = await (await api.at(hash)).query.babe.authorities();
	const uri = httpUri(networkInfo, subject);
	for (let i = 0; i < authorities.length; i++) {
		const key = authorities[i][0].toHex();
		if (await rpc(uri, "author_hasKey", [key, "babe"])) return { index: i, key, count: authorities.length };
	}
	return { index: -1, key: null, count: authorities.length };
}

// ---------------------------------------------------------------------------------------------
// Modes. Each returns 1 on success (the .zndsl checks `return is 1`) or throws.

const modes = {};

/** wait-finalized,<min>,<timeout s>: the node's finalized block is at least <min>. */
modes["wait-finalized"] = async (node, ni, [min, t]) => {
	const uri = httpUri(ni, node);
	const deadline = now() + secs(t, 300);
	let h = {};
	await until(deadline, 3000, async () => (h = await heads(uri)).fin >= Number(min),
		async () => `${node} finalized #${h.fin} < ${min}`);
	report(ni, `${node}: finalized #${h.fin} (best #${h.best}) >= ${min}`);
	return 1;
};

/** finality-advances,<nodes>,<by>,<timeout s>: every listed node finalizes <by> more blocks. */
modes["finality-advances"] = async (node, ni, [nodes, by, t]) => {
	const deadline = now() + secs(t, 300);
	const start = now();
	await Promise.all(nodeList(nodes).map(async (n) => {
		const uri = httpUri(ni, n);
		const from = await heads(uri);
		let h = from;
		await until(deadline, 3000, async () => (h = await heads(uri)).fin >= from.fin + Number(by),
			async () => `${n} finalized #${h.fin}, wanted #${from.fin}+${by}`);
		report(ni, `${n}: finality advanced #${from.fin} -> #${h.fin} in ${Math.round((now() - start) / 1000)} s`);
	}));
	return 1;
};

/**
 * snapshot,<label>,<nodes>: records each node's finalized head and best block, checks that they
 * agree on the hash at the lowest finalized height H, and saves {H, hash, maxFin}.
 */
modes.snapshot = async (node, ni, [label, nodes]) => {
	const names = nodeList(nodes || node);
	const per = {};
	for (const n of names) per[n] = await heads(httpUri(ni, n));
	const H = Math.min(...names.map((n) => per[n].fin));
	const hashes = {};
	for (const n of names) hashes[n] = await hashAt(httpUri(ni, n), H);
	const distinct = [...new Set(Object.values(hashes))];
	if (distinct.length !== 1 || !distinct[0])
		throw new Error(`nodes disagree at finalized #${H}: ${JSON.stringify(hashes)}`);
	const maxFin = Math.max(...names.map((n) => per[n].fin));
	save(ni, label, { H, hash: distinct[0], maxFin, per, at: now() });
	report(ni, `snapshot ${label}: finalized #${H} ${distinct[0]} on ${names.join(", ")}; ` +
		names.map((n) => `${n} fin #${per[n].fin} best #${per[n].best}`).join(", "));
	return 1;
};

/**
 * same-hash,<label>,<timeout s>: the node has finalized at least the snapshot's height H and
 * its block at H is the snapshot's hash.
 */
modes["same-hash"] = async (node, ni, [label, t]) => {
	const snap = load(ni, label);
	const uri = httpUri(ni, node);
	const deadline = now() + secs(t, 300);
	let h = {}, got = null;
	await until(deadline, 3000, async () => (h = await heads(uri)).fin >= snap.H && (got = await hashAt(uri, snap.H)),
		async () => `${node} finalized #${h.fin}, hash at #${snap.H}: ${got}`);
	if (got !== snap.hash) throw new Error(`${node} has ${got} at #${snap.H}, snapshot ${label} has ${snap.hash}`);
	report(ni, `${node}: #${snap.H} is ${got} as in ${label} (finalized #${h.fin})`);
	return 1;
};

/**
 * beyond,<label>,<by>,<nodes>,<timeout s>: every node finalizes at least <by> blocks past the
 * highest finalized block any node had at the snapshot, and still has the snapshot's hash at H.
 */
modes.beyond = async (node, ni, [label, by, nodes, t]) => {
	const snap = load(ni, label);
	const target = snap.maxFin + Number(by);
	const deadline = now() + secs(t, 300);
	await Promise.all(nodeList(nodes).map(async (n) => {
		const uri = httpUri(ni, n);
		let h = {}, got = null;
		await until(deadline, 3000, async () => (h = await heads(uri)).fin >= target && (got = await hashAt(uri, snap.H)),
			async () => `${n} finalized #${h.fin} (target #${target}), hash at #${snap.H}: ${got}`);
		if (got !== snap.hash) throw new Error(`${n} has ${got} at #${snap.H}, snapshot ${label} has ${snap.hash}`);
		report(ni, `${n}: finalized #${h.fin} >= #${target} (past ${label}'s highest #${snap.maxFin}); #${snap.H} unchanged`);
	}));
	return 1;
};

/**
 * catch-up,<reference node>,<timeout s>: the node reaches the reference's finalized head as it
 * was when this step started, with the same hash at that height. Reports how long it took
 * since the step started and, with a saved `down` label, since the node was stopped.
 */
modes["catch-up"] = async (node, ni, [ref, t]) => {
	const start = now();
	const deadline = start + secs(t, 300);
	const refHeads = await heads(httpUri(ni, ref));
	const uri = httpUri(ni, node);
	let h = {}, got = null;
	// After a warp sync the blocks below the warp target are known by number only once the
	// block history (gap sync) has been downloaded: wait for the hash too.
	await until(deadline, 2000, async () =>
		(h = await heads(uri)).fin >= refHeads.fin && (got = await hashAt(uri, refHeads.fin)),
	async () => `${node} finalized #${h.fin} (hash at #${refHeads.fin}: ${got}), ${ref} had #${refHeads.fin}`);
	if (got !== refHeads.finHash)
		throw new Error(`${node} finalized ${got} at #${refHeads.fin}, ${ref} finalized ${refHeads.finHash}`);
	let since = "";
	if (fs.existsSync(stateFile(ni, "down"))) since = `, ${Math.round((now() - load(ni, "down").at) / 1000)} s after it was stopped`;
	report(ni, `${node}: caught up with ${ref}'s finalized #${refHeads.fin} ${got} ` +
		`in ${Math.round((now() - start) / 1000)} s${since} (now finalized #${h.fin}, best #${h.best})`);
	return 1;
};

/** mark,<label>: remembers the current time and the node's heads under <label>. */
modes.mark = async (node, ni, [label]) => {
	let h = null;
	try { h = await heads(httpUri(ni, node)); } catch (_) { /* the node may be paused */ }
	save(ni, label, { at: now(), heads: h });
	report(ni, `mark ${label}${h ? `: ${node} finalized #${h.fin} best #${h.best}` : ""}`);
	return 1;
};

/**
 * authored,<subject>,<timeout s>: a block finalized after this step started (its number is above
 * the node's best block at the start) carries a BABE pre-digest with <subject>'s authority index.
 * The index is looked up at that block: `babe.authorities` there, matched with the keys in
 * <subject>'s keystore.
 */
modes.authored = async (node, ni, [subject, t]) => {
	const deadline = now() + secs(t, 300);
	const api = await connect(ni, node, deadline);
	try {
		const from = (await api.rpc.chain.getHeader()).number.toNumber();
		let next = from + 1;
		let seen = [];
		let lastIndex = -1;
		const found = await until(deadline, 3000, async () => {
			const fin = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
			for (; next <= fin; next++) {
				const hash = await api.rpc.chain.getBlockHash(next);
				const header = await api.rpc.chain.getHeader(hash);
				const pd = babePreDigest(api, header);
				const me = await authorityIndexOf(api, hash, ni, subject);
				lastIndex = me.index;
				seen.push(pd.authorityIndex);
				if (pd.authorityIndex === me.index) return { n: next, hash: hash.toHex(), pd, me };
			}
			return null;
		}, async () => `no finalized block after #${from} by ${subject}; authors seen: [${seen.join(",")}]` +
			(lastIndex < 0 ? ` (${subject} is not a BABE authority at #${next - 1})` : ""));
		report(ni, `${subject} authored finalized #${found.n} ${found.hash} (${found.pd.kind} slot ` +
			`${found.pd.slot}, authority index ${found.me.index} of ${found.me.count}, key ${found.me.key.slice(0, 10)}…)`);
		return 1;
	} finally {
		await api.disconnect();
	}
};

/**
 * agree,<nodes>,<timeout s>[,<label>]: waits until every node has finalized the highest block any
 * of them had finalized when the step started, then checks that all have the same hash at that
 * height and at each node's own starting finalized height (and at the label's height H).
 */
modes.agree = async (node, ni, [nodes, t, label]) => {
	const names = nodeList(nodes);
	const deadline = now() + secs(t, 300);
	const start = {};
	for (const n of names) start[n] = await heads(httpUri(ni, n));
	const target = Math.max(...names.map((n) => start[n].fin));
	for (const n of names) {
		let h = {};
		await until(deadline, 3000, async () => (h = await heads(httpUri(ni, n))).fin >= target,
			async () => `${n} finalized #${h.fin} < #${target}`);
	}
	const heights = new Set([target, ...names.map((n) => start[n].fin)]);
	if (label) heights.add(load(ni, label).H);
	for (const height of [...heights].sort((a, b) => a - b)) {
		const hashes = {};
		for (const n of names) {
			await until(deadline, 2000, async () => (hashes[n] = await hashAt(httpUri(ni, n), height)),
				async () => `${n} knows no block at finalized height #${height}`);
		}
		if (new Set(Object.values(hashes)).size !== 1) throw new Error(`fork at finalized #${height}: ${JSON.stringify(hashes)}`);
	}
	report(ni, `${names.join(", ")} agree on finalized blocks at #${[...heights].sort((a, b) => a - b).join(", #")} ` +
		`(hash at #${target}: ${await hashAt(httpUri(ni, names[0]), target)})`);
	return 1;
};

/**
 * stalled,<nodes>,<seconds>,<min best growth>: for <seconds>, no listed node's finalized block
 * moves, while each node's best block grows by at least <min best growth>.
 */
modes.stalled = async (node, ni, [nodes, seconds, growth]) => {
	const names = nodeList(nodes);
	const start = {};
	for (const n of names) start[n] = await heads(httpUri(ni, n));
	const end = now() + secs(seconds, 60);
	let last = start;
	while (now() < end) {
		await sleep(3000);
		const cur = {};
		for (const n of names) cur[n] = await heads(httpUri(ni, n));
		for (const n of names)
			if (cur[n].fin !== start[n].fin)
				throw new Error(`${n} finalized #${cur[n].fin} (was #${start[n].fin}) although finality should be stalled`);
		last = cur;
	}
	for (const n of names)
		if (last[n].best < start[n].best + Number(growth))
			throw new Error(`${n} best #${last[n].best}, started at #${start[n].best}: expected +${growth}`);
	save(ni, "stall", { H: start[names[0]].fin, hash: start[names[0]].finHash, at: now() });
	report(ni, `finality stalled for ${seconds} s: ` +
		names.map((n) => `${n} finalized #${start[n].fin} (unchanged), best #${start[n].best} -> #${last[n].best}`).join("; "));
	return 1;
};

/**
 * watch-start,<watched>,<nodes>: starts sampling in the background (this Node.js process lives
 * for the whole test): every 2 s whether <watched> answers RPC, and the heads of <nodes>.
 * watch-stop reads the samples. (A `restart after N seconds` step blocks the test for N s, so
 * a check of the network while the node is down has to run alongside it.)
 */
const watchers = {};
modes["watch-start"] = async (node, ni, [watched, nodes]) => {
	const names = nodeList(nodes);
	const w = { samples: [], stop: false };
	watchers[watched] = w;
	(async () => {
		while (!w.stop) {
			const s = { t: now(), up: false, heads: {} };
			try { await rpc(httpUri(ni, watched), "system_health", [], 1500); s.up = true; } catch (_) { /* down */ }
			for (const n of names) {
				try { s.heads[n] = await heads(httpUri(ni, n)); } catch (_) { s.heads[n] = null; }
			}
			w.samples.push(s);
			await sleep(2000);
		}
	})();
	report(ni, `watching ${watched} (and ${names.join(", ")})`);
	return 1;
};

/**
 * watch-stop,<watched>,<min finalized growth>: while <watched> was down (the longest run of
 * samples in which it did not answer), every sampled node's finalized and best blocks grew by
 * at least <min finalized growth>.
 */
modes["watch-stop"] = async (node, ni, [watched, growth]) => {
	const w = watchers[watched];
	if (!w) throw new Error(`no watch-start for ${watched}`);
	w.stop = true;
	const s = w.samples;
	let best = [0, -1], i = 0;
	while (i < s.length) {
		if (s[i].up) { i++; continue; }
		let j = i;
		while (j + 1 < s.length && !s[j + 1].up) j++;
		if (j - i > best[1] - best[0]) best = [i, j];
		i = j + 1;
	}
	if (best[1] < 0) throw new Error(`${watched} never went down in ${s.length} samples`);
	const [a, b] = [s[best[0]], s[best[1]]];
	const down = Math.round((b.t - a.t) / 1000);
	const lines = [];
	for (const n of Object.keys(a.heads)) {
		const x = a.heads[n], y = b.heads[n];
		if (!x || !y) throw new Error(`${n} did not answer while ${watched} was down`);
		if (y.fin < x.fin + Number(growth) || y.best < x.best + Number(growth))
			throw new Error(`while ${watched} was down (${down} s) ${n} went finalized #${x.fin} -> #${y.fin}, ` +
				`best #${x.best} -> #${y.best}: expected +${growth}`);
		lines.push(`${n} finalized #${x.fin} -> #${y.fin}, best #${x.best} -> #${y.best}`);
	}
	const upAgain = s.slice(best[1] + 1).find((x) => x.up);
	report(ni, `${watched} down for ~${down} s (${best[1] - best[0] + 1} samples): ${lines.join("; ")}` +
		(upAgain ? `; answering RPC again ${Math.round((upAgain.t - b.t) / 1000)} s after the last down sample` : ""));
	return 1;
};

/**
 * no-offences: no offence was ever reported on this chain (pallet-offences keeps every report in
 * `offences.reports`), and no validator is disabled. Returns the number of reports (check `is 0`).
 */
modes["no-offences"] = async (node, ni, [t]) => {
	const deadline = now() + secs(t, 60);
	const api = await connect(ni, node, deadline);
	try {
		const reports = await api.query.offences.reports.keys();
		const disabled = await api.query.session.disabledValidators();
		report(ni, `${node}: ${reports.length} offence report(s) on chain, disabled validators ${JSON.stringify(disabled.toJSON())}`);
		return reports.length + disabled.length;
	} finally {
		await api.disconnect();
	}
};

/**
 * state-missing,<reference node>,<block>: the node has no state for block <block> while the
 * reference node has it: the node did not execute that block, i.e. it warp synced past it.
 */
modes["state-missing"] = async (node, ni, [ref, n]) => {
	const refUri = httpUri(ni, ref);
	const hash = await hashAt(refUri, Number(n));
	if (!hash) throw new Error(`${ref} has no block #${n}`);
	// :code is the runtime, present in every block's state.
	const key = "0x3a636f6465";
	const refSize = await rpc(refUri, "state_getStorageSize", [key, hash]);
	if (!refSize) throw new Error(`${ref} has no state at #${n} either`);
	let err = null;
	try {
		const size = await rpc(httpUri(ni, node), "state_getStorageSize", [key, hash]);
		if (size) throw new Error(`${node} has the state of #${n} (${hash}): it executed the block, no warp sync`);
	} catch (e) {
		if (/no warp sync/.test(e.message)) throw e;
		err = e.message;
	}
	report(ni, `${node}: no state for #${n} ${hash} (${ref} has it): ${err || "empty answer"}`);
	return 1;
};

/**
 * offence,<kind prefix>,<offender>,<timeout s>: an `offences.Offence` event whose kind starts
 * with <kind prefix> appears in a finalized block, and the offender's stash is in a staking
 * slash record: a `staking.SlashReported` event for it and/or an entry in `staking.unappliedSlashes`
 * (slashes are deferred by SlashDeferDuration eras). Also reports disabled validators.
 */
modes.offence = async (node, ni, [prefix, offender, t]) => {
	const deadline = now() + secs(t, 600);
	const api = await connect(ni, node, deadline);
	try {
		const fromNum = 1;
		let next = fromNum;
		const found = { offence: null, slash: null };
		const offenderKey = await authorityIndexOf(api, await api.rpc.chain.getFinalizedHead(), ni, offender);
		// The stash that owns the offender's BABE key (session.keyOwner), i.e. the slashed account.
		const owner = await api.query.session.keyOwner(["0x62616265", offenderKey.key]);
		if (owner.isNone) throw new Error(`no session.keyOwner for BABE key ${offenderKey.key}`);
		const stash = owner.unwrap().toString();
		await until(deadline, 3000, async () => {
			const finHash = await api.rpc.chain.getFinalizedHead();
			const fin = (await api.rpc.chain.getHeader(finHash)).number.toNumber();
			for (; next <= fin; next++) {
				const hash = await api.rpc.chain.getBlockHash(next);
				const events = await (await api.at(hash)).query.system.events();
				for (const { event } of events) {
					if (api.events.offences.Offence.is(event)) {
						const kind = Buffer.from(event.data[0].toU8a(true)).toString("latin1");
						report(ni, `#${next}: offences.Offence kind "${kind}" timeslot ${event.data[1].toHex()}`);
						if (kind.startsWith(prefix)) found.offence = { n: next, kind };
					}
					if (api.events.staking.SlashReported.is(event)) {
						report(ni, `#${next}: staking.SlashReported ${JSON.stringify(event.toHuman().data)}`);
						if (event.data[0].toString() === stash) found.slash = { n: next, data: event.toHuman().data };
					}
				}
			}
			return found.offence && found.slash;
		}, async () => `offence ${JSON.stringify(found.offence)}, slash report ${JSON.stringify(found.slash)} ` +
			`(scanned finalized blocks #${fromNum}..#${next - 1})`);
		const unapplied = await api.query.staking.unappliedSlashes.entries();
		const entries = unapplied.map(([k, v]) => `${JSON.stringify(k.toHuman())}: ${JSON.stringify(v.toHuman())}`);
		const disabled = (await api.query.session.disabledValidators()).toJSON();
		const era = (await api.query.staking.activeEra()).toJSON();
		const reports = (await api.query.offences.reports.keys()).length;
		report(ni, `offender ${offender} = authority ${offenderKey.index} stash ${stash}; active era ${JSON.stringify(era)}; ` +
			`${reports} offence report(s); unapplied slashes ${entries.length ? entries.join(" | ") : "none"}; ` +
			`disabled validators ${JSON.stringify(disabled)}`);
		if (!entries.some((e) => e.includes(stash))) throw new Error(`no unapplied slash for ${stash}`);
		return 1;
	} finally {
		await api.disconnect();
	}
};

/**
 * equivocation-reports,<offender>,<timeout s>: a finalized block includes a
 * `babe.reportEquivocationUnsigned` extrinsic against <offender>'s BABE key (the node that saw
 * both blocks of a slot reported it) that succeeded. Reports the outcome of each such extrinsic
 * (its ExtrinsicSuccess/ExtrinsicFailed event, the module error) and whether the two headers in
 * the proof carry their BABE seal, which the runtime needs to check the offender's signatures.
 */
modes["equivocation-reports"] = async (node, ni, [offender, t]) => {
	const deadline = now() + secs(t, 600);
	const api = await connect(ni, node, deadline);
	try {
		const key = (await authorityIndexOf(api, await api.rpc.chain.getFinalizedHead(), ni, offender)).key;
		if (!key) throw new Error(`${offender} holds no BABE authority key`);
		let next = 1;
		const found = [];
		await until(deadline, 3000, async () => {
			const fin = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
			for (; next <= fin; next++) {
				const hash = await api.rpc.chain.getBlockHash(next);
				const block = await api.rpc.chain.getBlock(hash);
				const events = await (await api.at(hash)).query.system.events();
				block.block.extrinsics.forEach((xt, i) => {
					if (!api.tx.babe.reportEquivocationUnsigned.is(xt.method)) return;
					const proof = xt.method.args[0];
					if (proof.offender.toHex() !== key) return;
					const seals = [proof.firstHeader, proof.secondHeader].map((h) => h.digest.logs.some((l) => l.isSeal));
					let outcome = "no outcome event";
					for (const { phase, event } of events) {
						if (!phase.isApplyExtrinsic || phase.asApplyExtrinsic.toNumber() !== i) continue;
						if (api.events.system.ExtrinsicSuccess.is(event)) outcome = "ExtrinsicSuccess";
						if (api.events.system.ExtrinsicFailed.is(event)) {
							const err = event.data[0];
							outcome = err.isModule
								? (({ section, name }) => `ExtrinsicFailed ${section}.${name}`)(api.registry.findMetaError(err.asModule))
								: `ExtrinsicFailed ${JSON.stringify(err.toHuman())}`;
						}
					}
					found.push({ n: next, slot: proof.slot.toString(), outcome, seals });
				});
			}
			return found.some((f) => f.outcome === "ExtrinsicSuccess");
		}, async () => `no successful babe.reportEquivocationUnsigned against ${offender} in finalized blocks ` +
			`#1..#${next - 1}; reports seen: ${JSON.stringify(found)}`);
		for (const f of found)
			report(ni, `#${f.n}: babe.reportEquivocationUnsigned against ${offender} for slot ${f.slot}: ${f.outcome}; ` +
				`BABE seal in the proof's headers: ${f.seals.join("/")}`);
		return 1;
	} finally {
		await api.disconnect();
	}
};

/**
 * Signs `tx` with `signer`, and resolves with the finalized block's hash and the events of the
 * extrinsic once it is finalized; rejects on a pool refusal, a dispatch error (named from the
 * metadata) or the deadline.
 */
function submit(api, signer, tx, what, deadline) {
	return new Promise((resolve, reject) => {
		let unsub = () => {};
		const fail = (why) => {
			clearTimeout(timer);
			unsub();
			reject(new Error(`${what}: ${why}`));
		};
		const timer = setTimeout(() => fail("not finalized in time"), Math.max(0, deadline - now()));
		tx.signAndSend(signer, ({ status, events, dispatchError }) => {
			if (dispatchError) {
				const error = dispatchError.isModule
					? (({ section, name }) => `${section}.${name}`)(api.registry.findMetaError(dispatchError.asModule))
					: dispatchError.toString();
				return fail(`failed: ${error}`);
			}
			if (status.isInvalid || status.isDropped || status.isUsurped) return fail(`refused by the pool (${status.type})`);
			if (status.isFinalized) {
				clearTimeout(timer);
				unsub();
				resolve({ block: status.asFinalized.toHex(), events });
			}
		})
			.then((u) => (unsub = u))
			.catch((e) => fail(e.message));
	});
}

/**
 * join,<joiner>,<timeout s>: <joiner> (a node started with --validator, not a validator at
 * genesis) becomes one the way an operator does it (docs/operator.md §2–3): its node makes
 * session keys with `author_rotateKeysWithOwner`; the account //<Joiner> signs
 * `staking.bond`, `staking.validate` and `session.setKeys(keys, proof)` in one batch; then the
 * council (Alice proposes, Alice and Bob vote aye: two thirds of three) whitelists and dispatches
 * as root a call that raises the validator count by one and forces a new era, so the joiner is
 * elected at the next session rather than in an hour.
 * Checks that the chain holds the joiner's bond, its validator intent, its session keys, the
 * new count and the forced era.
 */
modes.join = async (node, ni, [joiner, t]) => {
	const deadline = now() + secs(t, 300);
	await cryptoWaitReady();
	const keyring = new Keyring({ type: "sr25519" });
	const cap = joiner.charAt(0).toUpperCase() + joiner.slice(1);
	const account = keyring.addFromUri(`//${cap}`);
	const [alice, bob] = ["//Alice", "//Bob"].map((uri) => keyring.addFromUri(uri));
	const api = await connect(ni, node, deadline);
	try {
		const owner = api.createType("AccountId32", account.address).toHex();
		const { keys, proof } = await until(deadline, 2000,
			() => rpc(httpUri(ni, joiner), "author_rotateKeysWithOwner", [owner]),
			async () => `${joiner}'s node made no session keys`);
		report(ni, `${joiner}: session keys ${keys.slice(0, 18)}… with an ownership proof`);
		// The genesis validators' bond (VALIDATOR_BOND): 100,000 units.
		const stake = 100000n * 10n ** BigInt(api.registry.chainDecimals[0]);
		const own = await submit(api, account, api.tx.utility.batchAll([
			api.tx.staking.bond(stake, "Staked"),
			api.tx.staking.validate({ commission: 0, blocked: false }),
			api.tx.session.setKeys(keys, proof),
		]), `${joiner} bonds, validates and sets keys`, deadline);
		report(ni, `${joiner}: bonded, validating, session keys set (finalized in ${own.block})`);

		// pallet-staking takes the validator count and a forced era from root only: the motion
		// whitelists the call and dispatches it as root (docs/governance.md), so two thirds.
		const count = (await api.query.staking.validatorCount()).toNumber();
		const asRoot = api.tx.utility.batchAll([
			api.tx.staking.setValidatorCount(count + 1),
			api.tx.staking.forceNewEra(),
		]);
		const motion = api.tx.utility.batchAll([
			api.tx.whitelist.whitelistCall(asRoot.method.hash),
			api.tx.whitelist.dispatchWhitelistedCallWithPreimage(asRoot.method),
		]);
		const proposed = await submit(api, alice, api.tx.council.propose(2, motion, motion.encodedLength),
			"the council's motion", deadline);
		const event = proposed.events.find(({ event }) => api.events.council.Proposed.is(event));
		if (!event) throw new Error("no council.Proposed event");
		const [, index, hash] = event.event.data;
		// Proposing is not voting: both members vote aye.
		for (const [who, member] of [["Alice", alice], ["Bob", bob]]) {
			const voting = (await api.query.council.voting(hash)).unwrap();
			if (!voting.ayes.some((a) => a.eq(member.address)))
				await submit(api, member, api.tx.council.vote(hash, index, true), `${who}'s vote`, deadline);
		}
		const closed = await submit(api, bob,
			api.tx.council.close(hash, index, { refTime: 10n ** 11n, proofSize: 10n ** 6n }, motion.encodedLength),
			"closing the motion", deadline);
		const executed = closed.events.find(({ event }) => api.events.council.Executed.is(event));
		if (!executed) throw new Error("the council's motion was not executed");
		if (executed.event.data[1].isErr) throw new Error(`the motion failed: ${executed.event.data[1].toString()}`);
		const dispatched = closed.events.find(({ event }) => api.events.whitelist.WhitelistedCallDispatched.is(event));
		if (!dispatched) throw new Error("the whitelisted call was not dispatched");
		if (dispatched.event.data[1].isErr) throw new Error(`the call dispatched as root failed: ${dispatched.event.data[1].toString()}`);

		const at = await api.at(closed.block);
		const ledger = (await at.query.staking.ledger(account.address)).unwrapOr(null);
		const validating = (await at.query.staking.validators.keys()).some((k) => k.args[0].eq(account.address));
		const nextKeys = (await at.query.session.nextKeys(account.address)).unwrapOr(null);
		const newCount = (await at.query.staking.validatorCount()).toNumber();
		const forceEra = (await at.query.staking.forceEra()).type;
		report(ni, `${joiner}: ledger total ${ledger && ledger.total.toHuman()}, in staking.validators ${validating}, ` +
			`session.nextKeys ${nextKeys ? "set" : "none"}; validator count ${count} -> ${newCount}, forceEra ${forceEra}`);
		if (!ledger || !validating || !nextKeys || nextKeys.toHex() !== keys || newCount !== count + 1 || forceEra !== "ForceNew")
			throw new Error(`${joiner} did not join as expected`);
		return 1;
	} finally {
		await api.disconnect();
	}
};

/** The pid of the node named `name` in this network: the process whose command line has
 * `--base-path <tmpDir>/<name>/data`, or null. */
function nodePid(networkInfo, name) {
	const base = path.join(networkInfo.tmpDir, name, "data");
	for (const entry of fs.readdirSync("/proc")) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const args = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
			const i = args.indexOf("--base-path");
			if (i >= 0 && args[i + 1] === base && !args[0].endsWith("sh")) return Number(entry);
		} catch (e) {
			// The process ended while we looked.
		}
	}
	return null;
}

/** Resident memory of a process in bytes, or null. */
function rssBytes(pid) {
	try {
		const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
		return line ? Number(line.split(/\s+/)[1]) * 1024 : null;
	} catch (e) {
		return null;
	}
}

/** Bytes a directory tree takes on disk (allocated blocks, as `du`). */
function diskBytes(dir) {
	let total = 0;
	const walk = (d) => {
		for (const e of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, e.name);
			try {
				if (e.isDirectory()) walk(p);
				else total += fs.lstatSync(p).blocks * 512;
			} catch (err) {
				// A file the node removed while we walked.
			}
		}
	};
	walk(dir);
	return total;
}

const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);
const mib = (b) => (b === null ? "?" : `${(b / 1048576).toFixed(1)} MiB`);

/**
 * soak,<seconds>,<transfers per second>,<nodes>,<max finality lag>: for <seconds>, signs and
 * submits balance transfers from //Eve, //Ferdie, //One and //Two at the given rate to the
 * node running the step, and every 10 s samples each listed node's resident memory
 * (/proc/<pid>/status), database size on disk, and finality lag (best minus finalized). Then it
 * waits for the last transfers to be finalized, counts the senders' `balances.Transfer` events in
 * the finalized blocks, and reads each node's log for ERROR lines written during the run.
 * Passes when at least 95 % of the transfers the pool accepted were finalized, no sample had a
 * finality lag above <max finality lag> blocks, and no log has an ERROR line. Writes every
 * sample and the summary to <tmpDir>/soak.json.
 */
modes.soak = async (node, ni, [seconds, rate, nodes, maxLag]) => {
	const duration = Number(seconds) * 1000;
	const deadline = now() + duration + 240000;
	const names = nodeList(nodes);
	await cryptoWaitReady();
	const keyring = new Keyring({ type: "sr25519" });
	const senders = ["//Eve", "//Ferdie", "//One", "//Two"].map((uri) => keyring.addFromUri(uri));
	const to = keyring.addFromUri("//Alice").address;
	const api = await connect(ni, node, deadline);
	try {
		const pids = Object.fromEntries(names.map((n) => [n, nodePid(ni, n)]));
		for (const [n, pid] of Object.entries(pids)) if (!pid) throw new Error(`no process found for ${n}`);
		const logs = Object.fromEntries(names.map((n) => {
			const file = path.join(ni.tmpDir, `${n}.log`);
			return [n, { file, from: fs.existsSync(file) ? fs.statSync(file).size : 0 }];
		}));
		const nonces = await Promise.all(senders.map((s) => api.rpc.system.accountNextIndex(s.address).then((n) => n.toNumber())));
		const first = (await api.rpc.chain.getHeader()).number.toNumber();
		const samples = [];
		const sample = async () => {
			const at = Math.round((now() - started) / 1000);
			for (const n of names) {
				const h = await heads(httpUri(ni, n)).catch(() => null);
				samples.push({ t: at, node: n, rss: rssBytes(pids[n]), disk: diskBytes(path.join(ni.tmpDir, n, "data")),
					best: h && h.best, fin: h && h.fin, lag: h && h.best - h.fin });
			}
		};
		const started = now();
		await sample();
		let submitted = 0, accepted = 0, rejected = 0, nextSample = now() + 10000;
		const reasons = {};
		const amount = 10n ** BigInt(api.registry.chainDecimals[0]);
		const interval = 1000 / Number(rate);
		for (let i = 0; now() - started < duration; i++) {
			const due = started + i * interval;
			if (due > now()) await sleep(due - now());
			const k = i % senders.length;
			const tx = api.tx.balances.transferKeepAlive(to, amount);
			await tx.signAsync(senders[k], { nonce: nonces[k], era: 0 });
			submitted++;
			try {
				await api.rpc.author.submitExtrinsic(tx);
				accepted++;
				nonces[k]++;
			} catch (e) {
				rejected++;
				const why = e.message.slice(0, 80);
				reasons[why] = (reasons[why] || 0) + 1;
				nonces[k] = (await api.rpc.system.accountNextIndex(senders[k].address)).toNumber();
			}
			if (now() >= nextSample) {
				await sample();
				nextSample += 10000;
			}
		}
		const elapsed = (now() - started) / 1000;
		await sample();
		// The last transfers: every sender's nonce on chain (at the finalized head) reaches ours.
		const settled = await until(deadline, 3000, async () => {
			const fin = await api.rpc.chain.getFinalizedHead();
			const at = await api.at(fin);
			const done = await Promise.all(senders.map(async (s, k) => (await at.query.system.account(s.address)).nonce.toNumber() >= nonces[k]));
			return done.every(Boolean) ? fin : null;
		}, async () => "the accepted transfers were not all finalized");
		const last = (await api.rpc.chain.getHeader(settled)).number.toNumber();
		let finalized = 0;
		// Compared as raw account ids: the chain's SS58 prefix is not the keyring's.
		const mine = new Set(senders.map((s) => api.createType("AccountId32", s.publicKey).toHex()));
		for (let n = first + 1; n <= last; n++) {
			const events = await (await api.at(await api.rpc.chain.getBlockHash(n))).query.system.events();
			for (const { event } of events)
				if (api.events.balances.Transfer.is(event) && mine.has(event.data[0].toHex())) finalized++;
		}
		const errors = {};
		for (const [n, { file, from }] of Object.entries(logs)) {
			const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8").slice(from) : "";
			errors[n] = text.split("\n").filter((l) => / ERROR |panicked/.test(l));
		}
		const per = Object.fromEntries(names.map((n) => {
			const mine = samples.filter((x) => x.node === n);
			const lags = mine.map((x) => x.lag).filter((x) => x !== null);
			return [n, {
				rss_start: mine[0].rss, rss_end: mine[mine.length - 1].rss, rss_max: Math.max(...mine.map((x) => x.rss || 0)),
				disk_start: mine[0].disk, disk_end: mine[mine.length - 1].disk,
				lag_median: median(lags), lag_max: Math.max(...lags), log_errors: errors[n].length,
			}];
		}));
		const summary = { seconds: elapsed, rate: Number(rate), submitted, accepted, rejected, reasons, finalized,
			finalized_per_second: finalized / elapsed, blocks: [first + 1, last], per_node: per };
		fs.writeFileSync(path.join(ni.tmpDir, "soak.json"), JSON.stringify({ summary, samples }, null, 1));
		report(ni, `soak ${Math.round(elapsed)} s at ${rate}/s: ${submitted} transfers signed, ${accepted} accepted, ` +
			`${rejected} refused ${JSON.stringify(reasons)}, ${finalized} finalized in #${first + 1}..#${last} ` +
			`(${(finalized / elapsed).toFixed(1)}/s)`);
		for (const [n, p] of Object.entries(per))
			report(ni, `soak ${n}: memory ${mib(p.rss_start)} -> ${mib(p.rss_end)} (max ${mib(p.rss_max)}), ` +
				`database ${mib(p.disk_start)} -> ${mib(p.disk_end)}, finality lag median ${p.lag_median} max ${p.lag_max} blocks, ` +
				`${p.log_errors} ERROR line(s)`);
		const problems = [];
		if (finalized < 0.95 * accepted) problems.push(`only ${finalized} of ${accepted} accepted transfers finalized`);
		for (const [n, p] of Object.entries(per)) {
			if (p.lag_max > Number(maxLag)) problems.push(`${n}'s finality lag reached ${p.lag_max} blocks`);
			if (p.log_errors) problems.push(`${n} logged ${p.log_errors} ERROR line(s), first: ${errors[n][0]}`);
		}
		if (problems.length) throw new Error(problems.join("; "));
		return 1;
	} finally {
		await api.disconnect();
	}
};

async function run(nodeName, networkInfo, args) {
	const [mode, ...rest] = args.map((a) => a.trim());
	const fn = modes[mode];
	if (!fn) throw new Error(`chain.js: unknown mode ${mode}`);
	// zombienet runs every step even after one failed; the chain checks after a failure would
	// only wait out their deadlines, so they fail at once.
	const failed = path.join(networkInfo.tmpDir, "chain-failed.txt");
	if (fs.existsSync(failed))
		throw new Error(`skipped: an earlier check failed (${fs.readFileSync(failed, "utf8").trim()})`);
	try {
		return await fn(nodeName, networkInfo, rest);
	} catch (e) {
		report(networkInfo, `FAILED ${mode} on ${nodeName}: ${e.message}`);
		fs.writeFileSync(failed, `${mode} on ${nodeName}`);
		throw e;
	}
}

module.exports = { run };
