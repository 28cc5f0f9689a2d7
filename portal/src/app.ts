/**
 * The portal's screens: sign in with a key (imported, created, or kept sealed in this browser),
 * then the patient's records, their sharing (grants and offers) and their access log, each
 * brought up to date as the chain's events arrive.
 */
import { type Chain, type GrantEntry, type Provision, type RecordEntry, type Signing } from './chain.js';
import { accountOf, signerFromUri } from './crypto/account.js';
import { DATA_CLASSES, type DataClass, classOf, classTag } from './crypto/classes.js';
import { type Identity, newIdentity } from './crypto/keyfile.js';
import { h, show } from './dom.js';
import { type ExtensionAccount, extensionAccounts, extensionPresent, extensionSigner } from './extension.js';
import { PortalError, explain } from './messages.js';
import { type Opened, openForPatient, openSelfReported } from './open.js';
import { forget, importKeyFile, keepNew, storedKeyFile, unlock } from './session.js';
import { ACTIONS, CLASSES, DONE, PURPOSES, REASONS, REFUSED, blockDate, granteeWords, listWords, short } from './words.js';

type Tab = 'records' | 'sharing' | 'log';

/** The patient's session. */
interface Signed {
  /** The account signed in. */
  address: string;
  /** The key file's keys (open records, name data classes); `null` when signed in through the
   * extension only. */
  identity: Identity | null;
  /** How the patient's transactions are signed: in the page, or by the extension. */
  signing: Signing;
}

export class App {
  private signed: Signed | null = null;
  private tab: Tab = 'records';
  private organisations = new Map<number, string>();
  private stopWatching: (() => void) | null = null;

  constructor(
    private readonly chain: Chain,
    private readonly main: HTMLElement,
    private readonly who: HTMLElement,
    private readonly notice: HTMLElement,
  ) {}

  start(): void {
    this.signIn();
  }

  private say(text: string): void {
    this.notice.textContent = text;
  }

  // ---- Signing in -------------------------------------------------------------------------

  private signIn(): void {
    this.who.textContent = '';
    const stored = storedKeyFile();
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const fail = (e: unknown) => {
      error.hidden = false;
      error.textContent = explain(e);
    };
    const busy = (form: HTMLFormElement, on: boolean) =>
      form.querySelectorAll('button').forEach((b) => ((b as HTMLButtonElement).disabled = on));
    /** A form's submit handler: `action` runs with the form's buttons disabled; a failure is told. */
    const submitting = (action: (form: HTMLFormElement) => Promise<void>) => async (event: Event) => {
      event.preventDefault();
      const form = event.target as HTMLFormElement;
      busy(form, true);
      try {
        await action(form);
      } catch (e) {
        fail(e);
      } finally {
        busy(form, false);
      }
    };

    const unlockForm = stored
      ? h(
          'form',
          {
            'aria-labelledby': 'unlock-title',
            onsubmit: submitting(async (form) => {
              this.enter(await unlock((form.elements.namedItem('passphrase') as HTMLInputElement).value));
            }),
          },
          h('h2', { id: 'unlock-title' }, `Welcome back, ${stored.name}`),
          h('p', { class: 'muted' }, `Account ${short(stored.account)}`),
          h('label', { for: 'unlock-passphrase' }, 'Passphrase'),
          h('input', { id: 'unlock-passphrase', name: 'passphrase', type: 'password', autocomplete: 'current-password', required: true }),
          h(
            'div',
            { class: 'actions' },
            h('button', { type: 'submit' }, 'Unlock'),
            h('button', { type: 'button', class: 'danger', onclick: () => { forget(); this.signIn(); } }, 'Forget this key'),
          ),
        )
      : null;

    const importForm = h(
      'form',
      {
        'aria-labelledby': 'import-title',
        onsubmit: submitting(async (form) => {
          const file = (form.elements.namedItem('keyfile') as HTMLInputElement).files?.[0];
          const passphrase = (form.elements.namedItem('passphrase') as HTMLInputElement).value;
          if (file) this.enter(await importKeyFile(await file.text(), passphrase));
        }),
      },
      h('h2', { id: 'import-title' }, stored ? 'Use another key' : 'Sign in with your key'),
      h('p', { class: 'muted' }, 'The key file your care provider or the MedChain app gave you. It stays in this browser, locked by your passphrase.'),
      h('label', { for: 'import-file' }, 'Key file'),
      h('input', { id: 'import-file', name: 'keyfile', type: 'file', accept: '.json,application/json', required: true }),
      h('label', { for: 'import-passphrase' }, 'Passphrase'),
      h('input', { id: 'import-passphrase', name: 'passphrase', type: 'password', autocomplete: 'current-password', required: true }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')),
    );

    const createForm = h(
      'form',
      {
        'aria-labelledby': 'create-title',
        onsubmit: submitting(async (form) => {
          const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
          if (value('passphrase') !== value('again')) {
            error.hidden = false;
            error.textContent = 'The two passphrases differ.';
            return;
          }
          const identity = newIdentity(value('name'));
          const sealed = await keepNew(identity, value('passphrase'));
          this.enter(identity, JSON.stringify(sealed, null, 2));
        }),
      },
      h('h2', { id: 'create-title' }, 'Create a new key'),
      h('label', { for: 'create-name' }, 'A name for it (letters, digits, - or _)'),
      h('input', { id: 'create-name', name: 'name', required: true, pattern: '[A-Za-z0-9_\\-]{1,64}', autocomplete: 'username' }),
      h('label', { for: 'create-passphrase' }, 'Passphrase (at least 8 characters)'),
      h('input', { id: 'create-passphrase', name: 'passphrase', type: 'password', minlength: 8, required: true, autocomplete: 'new-password' }),
      h('label', { for: 'create-again' }, 'The passphrase again'),
      h('input', { id: 'create-again', name: 'again', type: 'password', minlength: 8, required: true, autocomplete: 'new-password' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create')),
    );

    const extension = extensionPresent()
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'extension-title' },
          h('h2', { id: 'extension-title' }, 'Sign in with your browser extension'),
          h('p', { class: 'muted' }, 'It signs your changes; opening records still needs your key file.'),
          h('div', { class: 'actions' },
            h('button', {
              type: 'button',
              onclick: async (event: Event) => {
                const button = event.target as HTMLButtonElement;
                button.disabled = true;
                try {
                  const accounts = await extensionAccounts();
                  if (accounts.length === 0) throw new PortalError('NoExtensionAccount', 'no sr25519 account offered');
                  button.replaceWith(h('div', { class: 'actions' }, accounts.map((account) =>
                    h('button', { type: 'button', onclick: () => this.enterWithExtension(account) }, `Sign in as ${account.name}`))));
                } catch (e) {
                  fail(e);
                  button.disabled = false;
                }
              },
            }, 'Connect')),
        )
      : null;

    show(
      this.main,
      error,
      extension,
      unlockForm && h('section', { class: 'card' }, unlockForm),
      h('section', { class: 'card' }, importForm),
      h('section', { class: 'card' }, createForm),
    );
  }

  private enter(identity: Identity, backup?: string): void {
    this.begin({ address: identity.address, identity, signing: { pair: signerFromUri(identity.secretUri) } }, identity.name);
    if (backup) {
      const url = URL.createObjectURL(new Blob([backup], { type: 'application/json' }));
      this.say('');
      this.notice.append(
        'Your key is ready. Keep a copy: ',
        h('a', { href: url, download: `${identity.name}.json` }, 'download your locked key file'),
        '. Give your care provider your account to register you.',
      );
    }
  }

  private async enterWithExtension(account: ExtensionAccount): Promise<void> {
    try {
      const signer = await extensionSigner(account.address);
      this.begin({ address: account.address, identity: null, signing: { address: account.address, signer } }, account.name);
      this.say('Signed in through your browser extension: it will ask you to approve each change.');
    } catch (e) {
      this.say(explain(e));
    }
  }

  private begin(signed: Signed, name: string): void {
    this.signed = signed;
    this.who.textContent = `${name} · ${short(signed.address)}`;
    void this.watch();
    this.render();
  }

  private async watch(): Promise<void> {
    this.stopWatching?.();
    const patient = this.signed!.address;
    this.stopWatching = await this.chain.watch(patient, (sections) => {
      if (sections.has('records')) this.say('A record of yours changed on the chain.');
      else if (sections.has('offers')) this.say('You have a new offer to answer.');
      else if (sections.has('log')) this.say('Your access log has a new entry.');
      const shown: Record<Tab, string[]> = { records: ['records'], sharing: ['grants', 'offers'], log: ['log'] };
      if (shown[this.tab].some((s) => sections.has(s))) this.render();
    });
  }

  // ---- The signed-in screens --------------------------------------------------------------

  private render(): void {
    const tabs: [Tab, string][] = [
      ['records', 'My records'],
      ['sharing', 'Sharing'],
      ['log', 'Access log'],
    ];
    const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
    show(
      this.main,
      h(
        'nav',
        { 'aria-label': 'Sections' },
        tabs.map(([tab, label]) =>
          h('button', { type: 'button', 'aria-current': tab === this.tab ? 'page' : undefined, onclick: () => { this.tab = tab; this.render(); } }, label),
        ),
        h('button', { type: 'button', onclick: () => this.signOut() }, 'Lock'),
      ),
      body,
    );
    const load = { records: () => this.records(), sharing: () => this.sharing(), log: () => this.log() }[this.tab];
    load()
      .then((content) => show(body, content))
      .catch((e) => show(body, h('p', { class: 'error', role: 'alert' }, explain(e))))
      .finally(() => body.removeAttribute('aria-busy'));
  }

  private signOut(): void {
    this.stopWatching?.();
    this.stopWatching = null;
    this.signed?.identity?.encryptionSecret.fill(0);
    this.signed?.identity?.classKey.fill(0);
    this.signed = null;
    this.say('');
    this.signIn();
  }

  private async organisationName(id: number): Promise<string> {
    if (!this.organisations.has(id)) {
      const organisation = await this.chain.organisation(id);
      this.organisations.set(id, organisation?.name ?? `organisation ${id}`);
    }
    return this.organisations.get(id)!;
  }

  private className(tag: Uint8Array | null): string {
    if (!tag) return 'erased';
    const key = this.signed!.identity?.classKey;
    if (!key) return 'one data class (your key file names it)';
    const cls = classOf(key, tag);
    return cls ? CLASSES[cls]! : 'a class your key does not name';
  }

  private async records(): Promise<HTMLElement> {
    const { address, identity } = this.signed!;
    const [records, best] = await Promise.all([this.chain.recordsOf(address), this.chain.bestNumber()]);
    const addKey = identity ? null : h('section', { class: 'card' }, this.keyFileForm());
    if (records.length === 0) return h('div', {}, addKey, h('p', {}, 'You have no records yet.'));
    const items = await Promise.all(records.slice().reverse().map((record) => this.recordItem(record, best)));
    return h('div', {}, addKey, h('ul', { class: 'cards', 'aria-label': 'Your records' }, items));
  }

  /** For a patient signed in through the extension: their key file, to open records. */
  private keyFileForm(): HTMLElement {
    const error = h('p', { class: 'error', role: 'alert' });
    return h(
      'form',
      {
        'aria-labelledby': 'keyfile-title',
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const form = event.target as HTMLFormElement;
          const file = (form.elements.namedItem('keyfile') as HTMLInputElement).files?.[0];
          if (!file) return;
          try {
            const identity = await importKeyFile(await file.text(), (form.elements.namedItem('passphrase') as HTMLInputElement).value);
            if (identity.address !== this.signed!.address) {
              throw new PortalError('OtherAccount', `the key file is ${identity.address}`);
            }
            this.signed!.identity = identity;
            this.say('Your key file is added: you can open your records.');
            this.render();
          } catch (e) {
            error.textContent = explain(e);
          }
        },
      },
      h('h2', { id: 'keyfile-title' }, 'Add your key file to open records'),
      error,
      h('label', { for: 'keyfile-file' }, 'Key file'),
      h('input', { id: 'keyfile-file', name: 'keyfile', type: 'file', accept: '.json,application/json', required: true }),
      h('label', { for: 'keyfile-passphrase' }, 'Passphrase'),
      h('input', { id: 'keyfile-passphrase', name: 'passphrase', type: 'password', autocomplete: 'current-password', required: true }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Add key file')),
    );
  }

  private async recordItem(record: RecordEntry, best: number): Promise<HTMLElement> {
    const holder = record.custodian === null ? 'reported by you' : await this.organisationName(record.custodian);
    const result = h('div', { 'aria-live': 'polite' });
    /** Runs `opening` with the patient's keys and shows what it opened, or why not. */
    const attempt = async (control: HTMLInputElement | HTMLButtonElement, waiting: string, opening: (identity: Identity) => Promise<Opened>) => {
      control.disabled = true;
      show(result, h('p', { class: 'muted' }, waiting));
      try {
        const identity = this.signed!.identity;
        if (!identity) throw new PortalError('KeyFileNeeded', 'signed in through the extension');
        const opened = await opening(identity);
        const { kind, title, value, fields } = opened.view;
        show(
          result,
          h('h4', {}, title === kind ? kind : `${kind}: ${title}`),
          value && h('p', { class: 'value' }, value),
          h('dl', {}, fields.flatMap((f) => [h('dt', {}, f.label), h('dd', {}, f.value)])),
          h('p', { class: 'ok' }, `Verified against the chain: version ${opened.version}, exactly as anchored.`),
        );
      } catch (e) {
        show(result, h('p', { class: 'error', role: 'alert' }, explain(e)));
      } finally {
        control.disabled = false;
      }
    };
    let opener: HTMLElement;
    if (record.custodian === null) {
      // Reported by the patient: the document is in their own store, as the file its CID names.
      const versions = await this.chain.versionsOf(record.id);
      const cid = versions[versions.length - 1]?.cid ?? 'its CID';
      const input = h('input', {
        id: `own-${record.id}`,
        type: 'file',
        onchange: (event: Event) => {
          const file = (event.target as HTMLInputElement).files?.[0];
          if (!file) return;
          void attempt(input, 'Opening…', async (identity) =>
            openSelfReported(this.chain, identity, record, new Uint8Array(await file.arrayBuffer())));
        },
      });
      opener = h('div', {}, h('label', { for: `own-${record.id}` }, `Open from your own store (the file ${cid})`), input);
    } else {
      const button: HTMLButtonElement = h('button', {
        type: 'button',
        onclick: () =>
          attempt(button, 'Opening… the hospital records this access in your log first, which takes a few seconds.', (identity) => {
            const { signing } = this.signed!;
            // Gateway requests are signed in the page: an extension wraps what it signs raw.
            const pair = 'pair' in signing ? signing.pair : signerFromUri(identity.secretUri);
            return openForPatient(this.chain, identity, pair, record);
          }),
      }, 'Open');
      opener = h('div', { class: 'actions' }, button);
    }
    return h(
      'li',
      { class: 'card', 'data-record': record.id },
      h('h3', {}, `Record ${record.id}`, h('span', { class: 'badge' }, this.className(record.classTag))),
      h(
        'dl',
        {},
        h('dt', {}, 'Held by'), h('dd', {}, holder),
        h('dt', {}, 'Versions'), h('dd', {}, String(record.currentVersion)),
        h('dt', {}, 'Last changed'), h('dd', {}, blockDate(record.updatedAt, best)),
        h('dt', {}, 'Who holds its key'), h('dd', {}, `${record.keyHolders} account${record.keyHolders === 1 ? '' : 's'}`),
      ),
      record.erased ? h('p', { class: 'muted' }, `Erased ${blockDate(record.erased.at, best)}.`) : opener,
      result,
    );
  }

  private async sharing(): Promise<HTMLElement> {
    const { address, identity } = this.signed!;
    const [grants, offers, best] = await Promise.all([
      this.chain.grantsOf(address),
      this.chain.offersOf(address),
      this.chain.bestNumber(),
    ]);
    const names = new Map<number, string>();
    for (const g of [...grants, ...offers]) {
      if ('role' in g.grantee) names.set(g.grantee.role.organisation, await this.organisationName(g.grantee.role.organisation));
    }
    const orgName = (id: number) => names.get(id) ?? `organisation ${id}`;
    const what = (p: Provision) => {
      const classes = p.classes.map((tag) => this.className(tag));
      const records = p.records.map((r) => `record ${r}`);
      return `${listWords(p.actions.map((a) => ACTIONS[a] ?? a))} ${listWords([...classes, ...records])} for ${listWords(p.purposes.map((x) => PURPOSES[x] ?? x))}`;
    };
    const grantItem = (g: GrantEntry) =>
      h(
        'li',
        { class: 'card', 'data-grant': g.id },
        h('h3', {}, `${g.provision.effect === 'Deny' ? 'Denied to' : 'Shared with'} ${granteeWords(g.grantee, orgName)}`),
        h('p', {}, `May ${what(g.provision)}.`),
        h('p', { class: 'muted' },
          g.ended
            ? `${g.ended.reason === 'Revoked' ? 'Revoked' : 'Expired'} ${blockDate(g.ended.at, best)}.`
            : g.validUntil === null ? 'Until you revoke it.' : `Until ${blockDate(g.validUntil, best)}.`),
        !g.ended &&
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke the grant to ${granteeWords(g.grantee, orgName)}`,
              onclick: () => this.act(this.chain.revoke(g.id), 'Revoked.') }, 'Revoke')),
      );
    const offerItem = (o: (typeof offers)[number]) => {
      const classes = DATA_CLASSES.map((cls) =>
        h('label', {}, h('input', { type: 'checkbox', name: 'class', value: cls, checked: cls === 'general' }), CLASSES[cls]!),
      );
      return h(
        'li',
        { class: 'card', 'data-offer': o.id },
        h('h3', {}, `Offer from ${short(o.proposer)}`),
        h('p', {}, `Asks that ${granteeWords(o.grantee, orgName)} may ${what(o.provision)}.`),
        h('p', { class: 'muted' }, `Answer before ${blockDate(o.expiresAt, best)}.`),
        h('fieldset', {}, h('legend', {}, 'Which of your data it may cover'), classes),
        h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: (event: Event) => {
            if (!identity) {
              this.say(explain(new PortalError('KeyFileNeeded', 'accepting names data classes')));
              return;
            }
            const chosen = [...(event.target as HTMLElement).closest('li')!.querySelectorAll<HTMLInputElement>('input[name=class]:checked')]
              .map((input) => classTag(identity.classKey, input.value as DataClass));
            void this.act(this.chain.accept(o.id, chosen), 'Accepted.');
          } }, 'Accept'),
          h('button', { type: 'button', class: 'danger', onclick: () => this.act(this.chain.reject(o.id), 'Rejected.') }, 'Reject')),
      );
    };
    return h(
      'div',
      {},
      h('h2', {}, 'Offers waiting for you'),
      offers.length === 0 ? h('p', { class: 'muted' }, 'None.') : h('ul', { class: 'cards', 'aria-label': 'Offers' }, offers.map(offerItem)),
      h('h2', {}, 'Who may see your data'),
      grants.length === 0 ? h('p', { class: 'muted' }, 'Nobody but you.') : h('ul', { class: 'cards', 'aria-label': 'Grants' }, grants.slice().reverse().map(grantItem)),
      h('section', { class: 'card' }, identity ? this.grantForm(identity) : h('p', {}, explain(new PortalError('KeyFileNeeded', 'sharing names data classes')))),
    );
  }

  private grantForm(identity: Identity): HTMLElement {
    return h(
      'form',
      {
        'aria-labelledby': 'grant-title',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const form = event.target as HTMLFormElement;
          const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
          const classes = [...form.querySelectorAll<HTMLInputElement>('input[name=class]:checked')].map((input) =>
            classTag(identity.classKey, input.value as DataClass),
          );
          const error = form.querySelector('.error') as HTMLElement;
          try {
            accountOf(field('grantee').value.trim());
          } catch (e) {
            error.textContent = 'That is not a MedChain account.';
            return;
          }
          if (classes.length === 0) {
            error.textContent = 'Choose at least one kind of data.';
            return;
          }
          error.textContent = '';
          void this.act(
            this.chain.grant(
              { account: field('grantee').value.trim() },
              { effect: 'Permit', actions: ['Read'], purposes: [field('purpose').value], classes, records: [] },
              null,
            ),
            'Shared.',
          );
        },
      },
      h('h2', { id: 'grant-title' }, 'Share with someone'),
      h('p', { class: 'error', role: 'alert' }),
      h('label', { for: 'grant-grantee' }, 'Their MedChain account'),
      h('input', { id: 'grant-grantee', name: 'grantee', required: true, autocomplete: 'off', spellcheck: false }),
      h('label', { for: 'grant-purpose' }, 'For'),
      h('select', { id: 'grant-purpose', name: 'purpose' },
        ['Treatment', 'Research', 'Payment', 'PublicHealth'].map((p) => h('option', { value: p }, PURPOSES[p]!))),
      h('fieldset', {}, h('legend', {}, 'Which of your data'),
        DATA_CLASSES.map((cls) => h('label', {}, h('input', { type: 'checkbox', name: 'class', value: cls, checked: cls === 'general' }), CLASSES[cls]!))),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Share')),
    );
  }

  private async act(call: ReturnType<Chain['revoke']>, done: string): Promise<void> {
    this.say('Sending to the network…');
    try {
      await this.chain.submit(call, this.signed!.signing);
      this.say(done);
    } catch (e) {
      this.say(explain(e));
    }
    this.render();
  }

  private async log(): Promise<HTMLElement> {
    const { address } = this.signed!;
    const [receipts, emergencies, best] = await Promise.all([
      this.chain.accessLog(address, null, 50),
      this.chain.emergenciesOf(address),
      this.chain.bestNumber(),
    ]);
    if (receipts.length === 0) return h('p', {}, 'Nobody has accessed your data yet.');
    const items = await Promise.all(
      receipts.map(async (r) => {
        const emergency = r.kind === 'EmergencyOpened' || r.reason === 'Emergency';
        const refused = r.kind === 'RefusedByGateway';
        const at = r.organisation === null ? '' : ` at ${await this.organisationName(r.organisation)}`;
        const target = r.record === null ? 'your data' : `record ${r.record}`;
        const actor = r.actor === address ? 'You' : short(r.actor);
        const title =
          r.kind === 'EmergencyOpened'
            ? `Emergency access opened by ${short(r.actor)}`
            : refused
              ? `${actor} ${actor === 'You' ? 'were' : 'was'} refused ${REFUSED[r.action ?? ''] ?? 'access to'} ${target}${at}`
              : `${actor} ${DONE[r.action ?? ''] ?? 'accessed'} ${target}${at}`;
        const opened = emergencies.find((e) => e.id === r.emergency);
        const review = opened
          ? opened.review
            ? `Reviewed ${blockDate(opened.review.at, best)}: ${opened.review.justified ? 'justified' : 'not justified'}.`
            : `Not reviewed yet (due ${blockDate(opened.reviewDeadline, best)}).`
          : null;
        return h(
          'li',
          { class: `card${emergency ? ' emergency' : ''}${refused ? ' refused' : ''}`, 'data-receipt': r.seq },
          h('h3', {}, title, emergency && h('span', { class: 'badge alert' }, 'emergency'), refused && h('span', { class: 'badge' }, 'refused')),
          h('p', { class: 'muted' },
            `${blockDate(r.at, best)}${r.purpose ? ` · for ${PURPOSES[r.purpose] ?? r.purpose}` : ''}${r.reason ? ` · because ${REASONS[r.reason] ?? r.reason}` : ''}`),
          review && h('p', {}, review),
        );
      }),
    );
    return h('ul', { class: 'cards', 'aria-label': 'Access log, newest first' }, items);
  }
}
