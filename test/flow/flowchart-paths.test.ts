/**
 * Every path through the notice's flowchart, generated from the machine itself, must end in the
 * verdict the notice gives for those answers, said with that verdict's sentence.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { getShortestPaths, getSimplePaths } from 'xstate/graph';
import { loadDataOrThrow } from '../../src/flow/load.ts';
import { createTransition, type FlowSnapshot } from '../../src/flow/machine.ts';
import type { OutcomeId } from '../../src/flow/flow-data.ts';

const data = loadDataOrThrow();

const bundle = data.bundle;
const { flow, machine } = bundle;
const locales = data.resources;

/** The notice's flowchart, written out independently of flows/: question number → answer → verdict. */
function noticeVerdict(answers: ('yes' | 'no')[]): OutcomeId {
  const [usesMailSoftware, connectsViaOwari, usesOwariAddress] = answers;
  if (usesMailSoftware === 'no') return 'no-change-needed';
  if (connectsViaOwari === 'no') return 'change-recommended';
  if (usesOwariAddress === 'no') return 'change-required-other-provider';
  return 'change-required-owari';
}

const metaOf = (s: FlowSnapshot) => flow.states[String(s.value)]!.meta;

const lookup = (lang: string, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], locales[lang]?.flow);

describe('the notice flowchart (3 questions, 4 outcomes)', () => {
  const paths = getSimplePaths(machine, {
    events: [{ type: 'yes' }, { type: 'no' }],
    stopWhen: (s) => metaOf(s).outcome !== undefined,
    toState: (s) => metaOf(s).outcome !== undefined,
  });

  it('has exactly one path per verdict, and all four verdicts', () => {
    const outcomes = paths.map((p) => metaOf(p.state).outcome).sort();
    expect(outcomes).toEqual(['change-recommended', 'change-required-other-provider', 'change-required-owari', 'no-change-needed']);
  });

  for (const path of paths) {
    const answers = path.steps.map((s) => s.event.type).filter((t) => t === 'yes' || t === 'no') as ('yes' | 'no')[];
    const step = String(path.state.value);
    describe(`answers ${answers.join(' → ')} (ends at ${step})`, () => {
      it('reaches the verdict the notice gives', () => {
        expect(metaOf(path.state).outcome).toBe(noticeVerdict(answers));
      });
      it('asks only the notice questions, in order, before the verdict', () => {
        const asked = path.steps.slice(0, -1).map((s) => metaOf(s.state).question);
        expect(asked).toEqual(answers.map((_, i) => i + 1));
      });
      it('says the verdict sentence of that outcome, in Japanese and English', () => {
        const verdictKey = `steps.${step}.verdict`;
        expect(metaOf(path.state).say[0]).toBe(verdictKey);
        expect(typeof lookup('ja', verdictKey)).toBe('string');
        expect(typeof lookup('en', verdictKey)).toBe('string');
      });
    });
  }
});

describe('every step reachable from the first question', () => {
  const events = [
    ...['yes', 'no', 'windows', 'mac', 'smartphone', 'other', 'another_client', 'yes_settings'].map((type) => ({ type })),
    ...Object.keys(bundle.catalogue.products).flatMap((product) => [
      { type: 'client', client: { product } },
      { type: 'client', client: { product, version: '0.1' } },
    ]),
    // What a message tells in passing: a client on each of its systems, software not in the list, the three answers.
    // (one client per system: every client's own guards are covered by the client events above)
    ...[['thunderbird', 'windows'], ['thunderbird', 'mac'], ['iphone_mail', 'smartphone'], ['windows_mail_app', 'windows']].map(([product, os]) => ({ type: 'facts', facts: { product, os } })),
    { type: 'facts', facts: { unlistedClient: true } },
    { type: 'facts', facts: { usesMailSoftware: true, viaOwari: true, owariAddress: true } },
  ];
  // One shortest path to every (step, client, OS) combination: the trail is left out of the key so
  // that "another client" loops do not make the graph infinite.
  const paths = getShortestPaths(machine, {
    events,
    serializeState: (s) => JSON.stringify([s.value, s.context.product ?? '', s.context.os ?? '']),
  });
  const reached = new Set(paths.map((p) => String(p.state.value)));

  it('reaches every step of flows/flowchart.json', () => {
    expect([...reached].sort()).toEqual(Object.keys(flow.states).sort());
  });

  it('goes back along every path to where it came from', () => {
    for (const path of paths) {
      // Replay the path's events so each snapshot carries the trail of this very path.
      // A step passed without asking (its answer known) is visited too: back returns to it.
      let [snapshot] = initialTransition(machine);
      const visited = [String(snapshot.value)];
      for (const step of path.steps.slice(1)) {
        const before = snapshot.context.trail.length;
        [snapshot] = transition(machine, snapshot, step.event);
        visited.push(...snapshot.context.trail.slice(before + 1), String(snapshot.value));
      }
      for (let i = visited.length - 1; i > 0; i--) {
        if (visited[i] === visited[i - 1]) continue;
        [snapshot] = transition(machine, snapshot, { type: 'back' });
        expect(String(snapshot.value), `back from ${visited[i]} on ${visited.join(' → ')}`).toBe(visited[i - 1]);
      }
    }
  });

  it('the turn stepper agrees with xstate\'s transition() for every step and event', () => {
    for (const path of paths) {
      for (const event of [...events, { type: 'back' }, { type: 'restart' }, { type: 'nonsense' }]) {
        const [expected] = transition(machine, path.state, event);
        const actual = bundle.step(path.state, event as never);
        expect([actual.value, actual.context]).toEqual([expected.value, expected.context]);
        expect(actual === path.state, `${String(path.state.value)} + ${event.type}`).toBe(!path.state.can(event as never));
      }
    }
  });

  it('the remembered transition a turn uses agrees with xstate\'s transition() for every step and event, remembered or not', () => {
    // A tiny memory, so the walk also forgets and recomputes transitions.
    const remembered = createTransition(machine, bundle.step, 7);
    for (let round = 0; round < 2; round++) {
      for (const path of paths) {
        for (const event of [...events, { type: 'back' }, { type: 'restart' }, { type: 'nonsense' }]) {
          const [expected] = transition(machine, path.state, event);
          for (const next of [remembered, bundle.transition]) {
            const actual = next(String(path.state.value), path.state.context, event as never);
            if (!path.state.can(event as never)) expect(actual, `${String(path.state.value)} + ${event.type}`).toBeUndefined();
            else expect([actual?.step, actual?.context]).toEqual([expected.value, expected.context]);
          }
        }
      }
    }
  });

  it('the remembered transition agrees with xstate\'s transition() again from the contexts it handed out', () => {
    const remembered = createTransition(machine, bundle.step, 7);
    const all = [...events, { type: 'back' }, { type: 'restart' }, { type: 'nonsense' }];
    // The second event: every kind of answer and command, and one client (all clients are covered above).
    const second = all.filter((e) => !('client' in e) && !('facts' in e)).concat(all.find((e) => 'client' in e)!, all.find((e) => 'facts' in e)!);
    const expected = paths.flatMap((path) =>
      all.flatMap((first) => {
        const [middle] = transition(machine, path.state, first);
        return middle === path.state || !path.state.can(first as never)
          ? []
          : [{ path, first, then: second.map((event) => (middle.can(event as never) ? transition(machine, middle, event)[0] : undefined)) }];
      }),
    );
    // Twice over, with a memory the first pass filled (and, being tiny, partly forgot).
    for (let round = 0; round < 2; round++) {
      for (const { path, first, then } of expected) {
        const handed = remembered(String(path.state.value), path.state.context, first as never)!;
        second.forEach((event, i) => {
          const actual = remembered(handed.step, handed.context, event as never);
          const label = `${String(path.state.value)} + ${first.type} + ${event.type}`;
          const next = then[i];
          if (!next) expect(actual, label).toBeUndefined();
          else expect([actual?.step, actual?.context], label).toEqual([next.value, next.context]);
        });
      }
    }
    expect(expected.length).toBeGreaterThan(100);
  });

  it('shares a remembered result between conversations with equal contexts, and never keeps an account name', () => {
    const [start] = initialTransition(machine);
    const next = bundle.transition(String(start.value), start.context, { type: 'yes' })!;
    // Remembered: the very same result again, for an equal context that is another object. With an account name
    // in the context: computed each time, never kept.
    expect(bundle.transition(String(start.value), structuredClone(start.context), { type: 'yes' })).toBe(next);
    const withAccount = { ...start.context, account: 'taro' };
    const first = bundle.transition(String(start.value), withAccount, { type: 'yes' });
    expect(first).toEqual(bundle.transition(String(start.value), withAccount, { type: 'yes' }));
    expect(first).not.toBe(bundle.transition(String(start.value), withAccount, { type: 'yes' }));
  });

  it('returns to the first question on restart from every step', () => {
    for (const path of paths) {
      const [restarted] = transition(machine, path.state, { type: 'restart' });
      expect(String(restarted.value)).toBe(flow.initial);
      expect(restarted.context).toEqual({ trail: [] });
    }
  });
});
