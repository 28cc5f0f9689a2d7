// The portal in a real browser (Debian's headless Chromium, driven by playwright-core) against a
// real dev node and a real gateway, every other party acting through the `medchain` CLI:
// sign in (a wrong passphrase refused first); a record a physician anchors appears live; it
// opens and shows its value; a tampered copy and an unreachable gateway are refused in words;
// a grant is made and revoked; the physician's refused attempt shows in the access log; a
// research offer is accepted. Every screen passes an axe-core check and is reached by keyboard;
// each step leaves a screenshot in portal/test-output/.
//
// Needs the debug binaries (`cargo build -p medchain-node -p medchain-cli -p medchain-gateway`)
// in $MEDCHAIN_BIN_DIR (default: $CARGO_TARGET_DIR/debug, else ~/.cache/medchain-target/debug)
// and Chromium at $CHROMIUM (default /usr/bin/chromium). `scripts/portal-test.sh` runs it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN =
  process.env.MEDCHAIN_BIN_DIR ??
  join(process.env.CARGO_TARGET_DIR ?? join(homedir(), '.cache', 'medchain-target'), 'debug');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'portal', 'test-output');
const FIXTURE = join(ROOT, 'cli', 'tests', 'fixtures', 'observation.json');
const PASSPHRASE = 'a passphrase for the portal';

const processes: ChildProcess[] = [];
const work = mkdtempSync(join(tmpdir(), 'medchain-portal-e2e-'));
let browser: Browser;
let page: Page;
let nodeUrl = '';
let portalUrl = '';
let gatewayUrl = '';
let gateway: ChildProcess;

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
    server.on('error', fail);
  });
}

/** Starts a long-running process, its output in `<work>/<name>.log`. */
function start(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const log = createWriteStream(join(work, `${name}.log`));
  // Its own process group, so that stopping it stops what it started (npx starts vite).
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  processes.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (logs in ${work})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function rpc(port: number, method: string, params: unknown[] = []): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${port}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await response.json()).result;
}

/** The `medchain` tool as a party with a home of its own; returns its JSON answer. */
async function cli(home: string, who: string | null, ...args: string[]): Promise<any> {
  const full = ['--home', join(work, home), '--url', nodeUrl, '--json', ...(who ? ['--as', who] : []), ...args];
  try {
    const env = { ...process.env };
    delete env.MEDCHAIN_PASSPHRASE_FILE;
    const { stdout } = await run(join(BIN, 'medchain'), full, { env });
    return JSON.parse(stdout);
  } catch (error: any) {
    throw new Error(`medchain ${args.join(' ')} as ${who}: ${error.stderr ?? error}`);
  }
}

/** Runs the tool expecting it to fail; returns its stderr. */
async function cliFails(home: string, who: string, ...args: string[]): Promise<string> {
  try {
    await cli(home, who, ...args);
  } catch (error) {
    return String(error);
  }
  throw new Error(`medchain ${args.join(' ')} should have failed`);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

/** axe-core finds nothing wrong with the page as it is (WCAG 2.1 A and AA rules). */
async function accessible(): Promise<void> {
  await page.addScriptTag({ path: join(ROOT, 'portal', 'node_modules', 'axe-core', 'axe.min.js') });
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return result.violations.map((v: any) => `${v.id}: ${v.help} (${v.nodes.map((n: any) => n.target).join(', ')})`);
  });
  expect(violations).toEqual([]);
}

/** Tabs through the page until `name` has the focus, then presses Enter. */
async function byKeyboard(name: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    if (focused === name) {
      await page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`"${name}" is not reachable by keyboard`);
}

let org = { a: '', b: '' };
let patient = '';
let doctorB = '';
let record = '';

beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  for (const binary of ['medchain-node', 'medchain', 'medchain-gateway']) {
    if (!existsSync(join(BIN, binary))) throw new Error(`${join(BIN, binary)} is missing: build it first`);
  }
  // The node.
  const [rpcPort, p2p, prometheus] = [await freePort(), await freePort(), await freePort()];
  start('node', join(BIN, 'medchain-node'), [
    '--dev', '--tmp', '--no-telemetry', '--no-mdns', '--rpc-cors', 'all',
    '--rpc-port', String(rpcPort), '--port', String(p2p), '--prometheus-port', String(prometheus),
  ]);
  nodeUrl = `ws://127.0.0.1:${rpcPort}`;
  await until('the node', async () => ((await rpc(rpcPort, 'chain_getFinalizedHead')) ? true : undefined), 180_000);
  await until('a finalised block', async () => {
    const head = await rpc(rpcPort, 'chain_getFinalizedHead');
    const header = await rpc(rpcPort, 'chain_getHeader', [head]);
    return parseInt(header.number, 16) >= 1 ? true : undefined;
  }, 120_000);

  // The parties: a registrar, two hospitals with a physician each, the patient, a gateway.
  for (const [home, name, suri] of [
    ['registrar', 'registrar', '//Alice'], ['hospital-a', 'admin', '//Bob'], ['hospital-a', 'doc-a', '//Charlie'],
    ['hospital-b', 'admin', '//Ferdie'], ['hospital-b', 'doc-b', '//Dave'], ['hospital-b', 'er-doc', '//Two'],
    ['gateway', 'gateway', '//Eve'],
  ] as const) {
    await cli(home, null, 'keys', 'import', '--name', name, '--suri', suri);
  }
  await cli('patient', null, 'keys', 'generate', '--name', 'patient', '--plaintext');
  patient = (await cli('patient', null, 'keys', 'show', '--name', 'patient')).account;
  doctorB = (await cli('hospital-b', null, 'keys', 'show', '--name', 'doc-b')).account;
  const account = async (home: string, name: string) => (await cli(home, null, 'keys', 'show', '--name', name)).account;
  org.a = String((await cli('registrar', 'registrar', 'directory', 'register-org', '--name', 'St Elsewhere', '--admin', await account('hospital-a', 'admin'))).organisation);
  org.b = String((await cli('registrar', 'registrar', 'directory', 'register-org', '--name', 'County General', '--admin', await account('hospital-b', 'admin'))).organisation);
  const invite = async (home: string, at: string, who: string, role: string) =>
    cli(home, 'admin', 'directory', 'invite', '--org', at, '--practitioner', await account(home, who), '--role', role,
      '--authority', 'GMC', '--licence', `GMC-${who}`);
  await Promise.all([
    invite('hospital-a', org.a, 'doc-a', 'physician'),
    (async () => {
      await invite('hospital-b', org.b, 'doc-b', 'physician');
      await invite('hospital-b', org.b, 'er-doc', 'emergency-physician');
    })(),
    cli('patient', 'patient', 'directory', 'register-patient'),
  ]);
  await Promise.all(
    ([['hospital-a', org.a, 'doc-a'], ['hospital-b', org.b, 'doc-b'], ['hospital-b', org.b, 'er-doc']] as const).map(async ([home, at, who]) => {
      await cli(home, who, 'directory', 'accept', '--org', at);
      await cli(home, who, 'keys', 'register');
    }),
  );
  // Hospital A's physicians may read and write the patient's general data; they hold the card.
  const card = join(work, 'card.json');
  await cli('patient', 'patient', 'keys', 'card', '--out', card);
  await cli('hospital-a', 'doc-a', 'patients', 'import', card);
  await cli('patient', 'patient', 'consent', 'grant', '--org', org.a, '--role', 'physician', '--actions', 'read,write',
    '--purposes', 'treatment', '--classes', 'general');

  // Hospital A's gateway, allowing the portal's origin, published in the directory.
  const [gatewayPort, portalPort] = [await freePort(), await freePort()];
  portalUrl = `http://127.0.0.1:${portalPort}`;
  gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  gateway = start('gateway', join(BIN, 'medchain-gateway'), [
    '--home', join(work, 'gateway'), '--as', 'gateway', '--node', nodeUrl, '--listen', `127.0.0.1:${gatewayPort}`,
    '--store-dir', join(work, 'gateway-store'), '--allowed-origin', portalUrl,
  ]);
  await until('the gateway', async () => ((await fetch(`${gatewayUrl}/health`)).ok ? true : undefined), 60_000);
  const shown = await cli('gateway', null, 'keys', 'show', '--name', 'gateway');
  await cli('hospital-a', 'admin', 'directory', 'set-gateway', '--org', org.a, '--account', shown.account,
    '--endpoint', gatewayUrl, '--encryption-key', shown.encryption_public);

  // The portal, built and served as `scripts/portal.sh --preview` serves it.
  await run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: join(ROOT, 'portal'), env: { ...process.env, VITE_MEDCHAIN_NODE: nodeUrl } });
  start('portal', 'npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(portalPort), '--strictPort'], {});
  await until('the portal', async () => ((await fetch(portalUrl)).ok ? true : undefined), 60_000);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.log(`[page] ${message.text()}`);
  });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  for (const child of processes) {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (!process.env.MEDCHAIN_KEEP_E2E) rmSync(work, { recursive: true, force: true });
});

describe('the patient portal', () => {
  it('signs in with the key file, after refusing a wrong passphrase', async () => {
    await page.goto(portalUrl);
    await page.getByRole('heading', { name: 'Sign in with your key' }).waitFor();
    await accessible();
    await shot('01-sign-in');
    const keyFile = join(work, 'patient', 'keys', 'patient.json');
    await page.getByLabel('Key file').first().setInputFiles(keyFile);
    await page.getByLabel('Passphrase').first().fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    // The key is kept sealed: lock, then a wrong passphrase is refused in words.
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Passphrase').first().fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('That passphrase does not open this key');
    await shot('02-wrong-passphrase');
    const stored = await page.evaluate(() => localStorage.getItem('medchain.portal.key-file') ?? '');
    const plain = JSON.parse(readFileSync(keyFile, 'utf8'));
    expect(stored).toContain('"sealed"');
    expect(stored).not.toContain(plain.encryption_secret);
    expect(stored).not.toContain(plain.secret_uri);
    await page.getByLabel('Passphrase').first().fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('You have no records yet.').waitFor();
    await expect.poll(() => page.locator('#who').textContent()).toContain(patient.slice(0, 8));
  });

  it('shows a record a physician anchors, live, and opens it verified', async () => {
    const added = await cli('hospital-a', 'doc-a', 'records', 'add', '--patient', patient, '--file', FIXTURE);
    record = String(added.record);
    const item = page.locator(`li[data-record="${record}"]`);
    await item.waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('#notice').textContent()).toContain('A record of yours changed');
    await expect.poll(() => item.textContent()).toContain('St Elsewhere');
    await expect.poll(() => item.textContent()).toContain('general health');
    await shot('03-record-arrived');
    await item.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => item.textContent(), { timeout: 150_000 }).toContain('72 beats/minute');
    expect(await item.textContent()).toContain('Heart rate');
    expect(await item.textContent()).toContain('Verified against the chain: version 1');
    expect(await item.textContent()).not.toContain('resourceType');
    await accessible();
    await shot('04-record-opened');
  });

  it('refuses a tampered document before showing anything of it', async () => {
    await page.route(`${gatewayUrl}/fhir/**`, async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      const bytes = Buffer.from(body.data, 'base64');
      bytes[100] = bytes[100]! ^ 0x01;
      body.data = bytes.toString('base64');
      await route.fulfill({ response, json: body });
    });
    const item = page.locator(`li[data-record="${record}"]`);
    await item.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => item.getByRole('alert').textContent(), { timeout: 150_000 }).toContain('does not match the record on the chain');
    expect(await item.textContent()).not.toContain('72 beats/minute');
    await shot('05-tampered-refused');
    await page.unroute(`${gatewayUrl}/fhir/**`);
  });

  it('grants a physician of another hospital, shows the grant, and revokes it', async () => {
    await byKeyboard('Sharing');
    await page.getByLabel('Their MedChain account').fill('not an account');
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not a MedChain account');
    await page.getByLabel('Their MedChain account').fill(doctorB);
    await page.getByRole('button', { name: 'Share' }).click();
    const granted = page.locator('li[data-grant]', { hasText: `Shared with ${doctorB.slice(0, 8)}` });
    await granted.waitFor({ timeout: 60_000 });
    expect(await granted.textContent()).toContain('May read general health for your care');
    await accessible();
    await shot('06-granted');
    await granted.getByRole('button', { name: /^Revoke/ }).click();
    await expect.poll(() => granted.textContent(), { timeout: 60_000 }).toContain('Revoked');
    await shot('07-revoked');
  });

  it("lists the physician's refused attempt and an emergency access in the access log", async () => {
    const refused = await cliFails('hospital-b', 'doc-b', 'records', 'get', record);
    expect(refused).toContain('403');
    await cli('hospital-b', 'er-doc', 'consent', 'emergency', '--patient', patient, '--reason', 'unconscious on arrival');
    await byKeyboard('Access log');
    const attempt = page.locator('li.refused');
    await attempt.first().waitFor({ timeout: 60_000 });
    expect(await attempt.first().textContent()).toContain(`${doctorB.slice(0, 8)}`);
    expect(await attempt.first().textContent()).toContain(`was refused reading record ${record} at St Elsewhere`);
    expect(await page.locator('li[data-receipt]').last().textContent()).toContain(`You read record ${record}`);
    // The break-glass opening stands out, with its review state; its reason is not on chain.
    const emergency = page.locator('li.emergency');
    await emergency.first().waitFor({ timeout: 60_000 });
    expect(await emergency.first().textContent()).toContain('Emergency access opened by');
    expect(await emergency.first().textContent()).toContain('Not reviewed yet');
    expect(await emergency.first().textContent()).not.toContain('0x');
    expect(await page.locator('main').textContent()).not.toContain('unconscious');
    // Newest first: the refusal is above the patient's own read through the gateway.
    const first = await page.locator('li[data-receipt]').first().getAttribute('data-receipt');
    const last = await page.locator('li[data-receipt]').last().getAttribute('data-receipt');
    expect(Number(first)).toBeGreaterThan(Number(last));
    await accessible();
    await shot('08-access-log');
  });

  it('accepts a research offer', async () => {
    await page.getByRole('button', { name: 'Sharing' }).click();
    await page.getByRole('heading', { name: 'Offers waiting for you' }).waitFor();
    await cli('hospital-b', 'admin', 'consent', 'offer', '--patient', patient, '--org', org.b, '--role', 'researcher',
      '--purposes', 'research');
    const offer = page.locator('li[data-offer]');
    await offer.first().waitFor({ timeout: 60_000 });
    expect(await offer.first().textContent()).toContain('researchers of County General');
    await accessible();
    await shot('09-offer');
    await offer.first().getByRole('button', { name: 'Accept' }).click();
    const grant = page.locator('li[data-grant]', { hasText: 'researchers of County General' });
    await grant.waitFor({ timeout: 60_000 });
    expect(await grant.textContent()).toContain('for research');
    await shot('10-offer-accepted');
  });

  it('signs in through a browser extension, which signs the changes; the key file opens records', async () => {
    // A wallet speaking the polkadot.js extension protocol, holding the patient's account: its
    // signer signs each payload in the test process, as an extension would after the patient
    // approved it.
    await cryptoWaitReady();
    const keyFile = join(work, 'patient', 'keys', 'patient.json');
    const pair = new Keyring({ type: 'sr25519', ss58Format: 4242 }).addFromUri(JSON.parse(readFileSync(keyFile, 'utf8')).secret_uri);
    const api = await ApiPromise.create({ provider: new WsProvider(nodeUrl), noInitWarn: true });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const signed: string[] = [];
    await context.exposeFunction('medchainTestSign', (payload: any) => {
      signed.push(payload.method);
      const extrinsic = api.registry.createType('ExtrinsicPayload', payload, { version: payload.version });
      return extrinsic.sign(pair).signature;
    });
    await context.addInitScript((address: string) => {
      const account = { address, name: 'My wallet', type: 'sr25519' };
      (window as any).injectedWeb3 = {
        'test-wallet': {
          version: '1.0.0',
          enable: async () => ({
            accounts: {
              get: async () => [account],
              subscribe: (callback: (accounts: unknown[]) => void) => {
                callback([account]);
                return () => {};
              },
            },
            signer: { signPayload: async (payload: unknown) => ({ id: 1, signature: await (window as any).medchainTestSign(payload) }) },
          }),
        },
      };
    }, patient);
    const wallet = await context.newPage();
    try {
      await wallet.goto(portalUrl);
      await wallet.getByRole('heading', { name: 'Sign in with your browser extension' }).waitFor();
      await wallet.getByRole('button', { name: 'Connect' }).click();
      await wallet.getByRole('button', { name: 'Sign in as My wallet' }).click();
      await expect.poll(() => wallet.locator('#who').textContent()).toContain(patient.slice(0, 8));
      // The records are listed; opening one needs the key file, and says so.
      const item = wallet.locator(`li[data-record="${record}"]`);
      await item.waitFor();
      await item.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => item.getByRole('alert').textContent()).toContain('needs your key file');
      // A change signed by the extension: the research grant revoked.
      await wallet.getByRole('button', { name: 'Sharing' }).click();
      const research = wallet.locator('li[data-grant]', { hasText: 'researchers of County General' });
      await research.getByRole('button', { name: /^Revoke/ }).click();
      await expect.poll(() => research.textContent(), { timeout: 60_000 }).toContain('Revoked');
      expect(signed).toHaveLength(1);
      await wallet.screenshot({ path: join(OUT, '11-extension.png'), fullPage: true });
      // Its key file added, the record opens.
      await wallet.getByRole('button', { name: 'My records' }).click();
      await wallet.getByLabel('Key file', { exact: true }).setInputFiles(keyFile);
      await wallet.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
      await wallet.getByRole('button', { name: 'Add key file' }).click();
      const again = wallet.locator(`li[data-record="${record}"]`);
      await expect.poll(() => again.textContent()).toContain('general health');
      await again.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => again.textContent(), { timeout: 150_000 }).toContain('72 beats/minute');
      const storage = await wallet.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      expect(storage).not.toContain('beats/minute');
      expect(storage).not.toContain('Heart rate');
    } finally {
      await context.close();
      await api.disconnect();
    }
  });

  it('creates a new key in the browser, kept sealed, with a backup to download', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const fresh = await context.newPage();
    try {
      await fresh.goto(portalUrl);
      await fresh.getByLabel('A name for it (letters, digits, - or _)').fill('new-patient');
      await fresh.getByLabel('Passphrase (at least 8 characters)').fill('a new passphrase');
      await fresh.getByLabel('The passphrase again').fill('another passphrase');
      await fresh.getByRole('button', { name: 'Create' }).click();
      await expect.poll(() => fresh.getByRole('alert').first().textContent()).toContain('The two passphrases differ');
      await fresh.getByLabel('The passphrase again').fill('a new passphrase');
      await fresh.getByRole('button', { name: 'Create' }).click();
      await fresh.getByText('You have no records yet.').waitFor({ timeout: 60_000 });
      const backup = fresh.getByRole('link', { name: 'download your locked key file' });
      expect(await backup.getAttribute('download')).toBe('new-patient.json');
      const stored = JSON.parse(await fresh.evaluate(() => localStorage.getItem('medchain.portal.key-file') ?? '{}'));
      expect(stored.name).toBe('new-patient');
      expect(stored.sealed.kdf).toBe('scrypt');
      expect(JSON.stringify(stored)).not.toContain('secret_uri');
      await fresh.screenshot({ path: join(OUT, '12-created.png'), fullPage: true });
    } finally {
      await context.close();
    }
  });

  it('says so in words when the gateway cannot be reached', async () => {
    gateway.kill('SIGTERM');
    await until('the gateway to stop', async () => {
      try {
        await fetch(`${gatewayUrl}/health`);
        return undefined;
      } catch {
        return true;
      }
    }, 30_000);
    await page.getByRole('button', { name: 'My records' }).click();
    const item = page.locator(`li[data-record="${record}"]`);
    await item.getByRole('button', { name: 'Open' }).click();
    await expect.poll(() => item.getByRole('alert').textContent(), { timeout: 60_000 }).toContain('cannot be reached');
    await shot('13-gateway-unreachable');
  });
});

// Copy the screenshots docs/portal.md shows next to it when asked.
afterAll(() => {
  if (!process.env.MEDCHAIN_PORTAL_FIGURES) return;
  for (const name of ['03-record-arrived', '04-record-opened', '06-granted', '08-access-log', '09-offer']) {
    writeFileSync(join(ROOT, 'docs', 'figures', `portal-${name}.png`), readFileSync(join(OUT, `${name}.png`)));
  }
});
