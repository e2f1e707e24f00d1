import { describe, expect, it } from 'vitest';
import { groupCommit } from '../../src/storage/group-commit.ts';

/** A send that records each call's group and answers every write with its double. */
function doubling() {
  const calls: number[][] = [];
  const send = async (group: number[]) => {
    calls.push(group);
    return group.map((n) => n * 2);
  };
  return { calls, send };
}

describe('group commit (one call for the writes of one pass of the event loop)', () => {
  it('sends the writes asked for in one pass as one call, and answers each caller with its own result', async () => {
    const { calls, send } = doubling();
    const write = groupCommit(64, send);
    const results = await Promise.all([write(1), write(2), write(3)]);
    expect(results).toEqual([2, 4, 6]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('a write asked for after the call went out goes in the next call', async () => {
    const { calls, send } = doubling();
    const write = groupCommit(64, send);
    const first = write(1);
    await new Promise((resolve) => setImmediate(resolve));
    const second = write(2);
    expect(await Promise.all([first, second])).toEqual([2, 4]);
    expect(calls).toEqual([[1], [2]]);
  });

  it('a full group goes out at once, in order; the rest follows', async () => {
    const { calls, send } = doubling();
    const write = groupCommit(3, send);
    const results = await Promise.all([1, 2, 3, 4, 5].map(write));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(calls).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('when the call fails, or throws, every write of its group fails with that error; later groups are unaffected', async () => {
    let fail: 'reject' | 'throw' | undefined = 'reject';
    const write = groupCommit<number, number>(64, (group) => {
      if (fail === 'throw') throw new Error('thrown');
      if (fail === 'reject') return Promise.reject(new Error('down'));
      return Promise.resolve(group);
    });
    await expect(Promise.all([write(1), write(2)])).rejects.toThrow('down');
    const settled = await Promise.allSettled([write(1), write(2)]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    fail = 'throw';
    await expect(write(3)).rejects.toThrow('thrown');
    fail = undefined;
    expect(await write(4)).toBe(4);
  });

  it('an answer that does not match the group fails every write instead of answering some with another’s result', async () => {
    const write = groupCommit<number, number>(64, async (group) => group.slice(1));
    const settled = await Promise.allSettled([write(1), write(2)]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
  });
});
