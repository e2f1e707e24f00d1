/** The behaviour both engines share (src/storage/types.ts), run against each engine by its own test file. */
import { describe, expect, it } from 'vitest';
import type { ConversationRecord } from '../../src/conversation/turn.ts';
import type { ConversationStore } from '../../src/storage/types.ts';

export function record(step = 'uses_mail_software', misses = 0): ConversationRecord {
  return { flowVersion: 1, lang: 'ja', step, context: { trail: [] }, misses, reference: 'ABC-123', createdAt: 1, updatedAt: 1 };
}

export function storeContract(name: string, open: () => Promise<ConversationStore>) {
  describe(`${name}: the ConversationStore contract`, () => {
    it('loads what it saved, and nothing for an unknown id', async () => {
      const store = await open();
      expect(await store.load('nobody')).toBeUndefined();
      await store.save('a', record('connects_via_owari'));
      expect(await store.load('a')).toEqual(record('connects_via_owari'));
      await store.save('a', record('uses_mail_software'));
      expect((await store.load('a'))?.step).toBe('uses_mail_software');
      await store.close();
    });

    it('forgets a deleted conversation, also one saved a moment before', async () => {
      const store = await open();
      await store.save('gone', record('connects_via_owari'));
      await store.save('kept', record('connects_via_owari'));
      await store.delete('gone');
      expect(await store.load('gone')).toBeUndefined();
      expect((await store.load('kept'))?.step).toBe('connects_via_owari');
      await store.close();
    });

    it('update computes from the stored record and writes its result; undefined writes nothing', async () => {
      const store = await open();
      expect(await store.update('u', (current) => (current ? { record: current, value: 'existed' } : undefined))).toBeUndefined();
      expect(await store.load('u')).toBeUndefined();
      expect(await store.update('u', (current) => ({ record: record('s1'), value: current === undefined }))).toBe(true);
      expect(await store.update('u', (current) => ({ record: record(`${current!.step}-s2`), value: current!.step }))).toBe('s1');
      expect((await store.load('u'))?.step).toBe('s1-s2');
      await store.close();
    });

    it('a failing computation leaves the stored record untouched', async () => {
      const store = await open();
      await store.save('f', record('before'));
      await expect(
        store.update('f', () => {
          throw new Error('turn bug');
        }),
      ).rejects.toThrow('turn bug');
      expect((await store.load('f'))?.step).toBe('before');
      await store.close();
    });

    it('concurrent updates of one conversation from one store lose nothing', async () => {
      const store = await open();
      await store.save('n', record('count', 0));
      const bump = () => store.update('n', (c) => ({ record: { ...c!, misses: c!.misses + 1 }, value: undefined }));
      await Promise.all(Array.from({ length: 50 }, bump));
      expect((await store.load('n'))?.misses).toBe(50);
      await store.close();
    });

    it('is ready until closed; close is idempotent', async () => {
      const store = await open();
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
      await store.close();
    });
  });
}
