/** The websocket's frames are handled together once per pass of the event loop (src/channels/pass-queue.ts). */
import { describe, expect, it } from 'vitest';
import { createPassQueue } from '../../src/channels/pass-queue.ts';

const endOfPass = () => new Promise((resolve) => setImmediate(resolve));

describe('the pass queue', () => {
  it('runs what was added during a pass at its end, in the order added, not while it is being added', async () => {
    const ran: string[] = [];
    const queue = createPassQueue((error) => ran.push(`error ${String(error)}`));
    queue.add(() => ran.push('a'));
    queue.add(() => ran.push('b'));
    ran.push('still adding');
    queue.add(() => ran.push('c'));
    expect(ran).toEqual(['still adding']);
    await endOfPass();
    expect(ran).toEqual(['still adding', 'a', 'b', 'c']);
  });

  it('work added while a pass runs is run in the next pass, not lost', async () => {
    const ran: string[] = [];
    const queue = createPassQueue(() => undefined);
    queue.add(() => {
      ran.push('first');
      queue.add(() => ran.push('added by first'));
    });
    await endOfPass();
    expect(ran).toEqual(['first']);
    await endOfPass();
    expect(ran).toEqual(['first', 'added by first']);
  });

  it('a work item that throws is reported and the items after it still run', async () => {
    const ran: string[] = [];
    const errors: unknown[] = [];
    const queue = createPassQueue((error) => errors.push(error));
    queue.add(() => ran.push('before'));
    queue.add(() => {
      throw new Error('broken frame handler');
    });
    queue.add(() => ran.push('after'));
    await endOfPass();
    expect(ran).toEqual(['before', 'after']);
    expect(errors).toEqual([new Error('broken frame handler')]);
  });

  it('the turns of one pass step through their awaits side by side, not one turn to its end after another', async () => {
    const steps: string[] = [];
    const queue = createPassQueue(() => undefined);
    const turn = (name: string) => async () => {
      for (const layer of ['gateway', 'engine', 'store']) {
        steps.push(`${name} ${layer}`);
        await Promise.resolve();
      }
    };
    queue.add(() => void turn('A')());
    queue.add(() => void turn('B')());
    await endOfPass();
    await endOfPass();
    expect(steps).toEqual(['A gateway', 'B gateway', 'A engine', 'B engine', 'A store', 'B store']);
  });
});
