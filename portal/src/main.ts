/**
 * The portal's entry: connect to the node (`?node=ws://…`; else the one `scripts/portal.sh`
 * served it for, `VITE_MEDCHAIN_NODE`; else the dev chain's) and start.
 */
import { App } from './app.js';
import { Chain } from './chain.js';
import { cryptoReady } from './crypto/account.js';
import { h, show } from './dom.js';
import { explain } from './messages.js';

const DEFAULT_NODE: string = import.meta.env.VITE_MEDCHAIN_NODE ?? 'ws://127.0.0.1:9944';

async function main(): Promise<void> {
  const main = document.getElementById('main')!;
  const who = document.getElementById('who')!;
  const notice = document.getElementById('notice')!;
  const node = new URLSearchParams(location.search).get('node') ?? DEFAULT_NODE;
  show(main, h('p', { class: 'muted' }, 'Connecting to the MedChain network…'));
  try {
    await cryptoReady();
    const chain = await Chain.connect(node);
    new App(chain, main, who, notice).start();
  } catch (e) {
    show(main, h('p', { class: 'error', role: 'alert' }, explain(e)));
  }
}

void main();
