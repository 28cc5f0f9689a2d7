// A node that does not answer is told as such, within the time given, and nothing keeps trying.
import { describe, expect, it } from 'vitest';
import { Chain } from '../src/chain.js';
import { PortalError } from '../src/messages.js';

describe('connecting', () => {
  it('says the network cannot be reached when no node answers', async () => {
    const error = await Chain.connect('ws://127.0.0.1:1', 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PortalError);
    expect((error as PortalError).kind).toBe('NodeUnreachable');
    expect((error as PortalError).message).toContain('ws://127.0.0.1:1');
  });
});
