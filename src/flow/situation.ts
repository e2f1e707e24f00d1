/**
 * Where a conversation stands in the notice's flowchart, as one name that sentences may have variants for
 * (an FAQ answer `<id>_<situation>` in locales/<lang>/faq.json). Pure: read from the flow data and the steps
 * the customer came through.
 */
import type { FlowContext } from './machine.ts';
import { transitionsOf, type FlowData } from './flow-data.ts';

/**
 * What the conversation has established so far, as one name: the verdict it reached (an outcome id), or
 * before any verdict the last question answered, `q<question>_<answer event>` (e.g. `q2_yes`). Read from the
 * steps the customer came through, so `back` and `restart` un-establish it.
 */
export function situationOf(flow: FlowData, step: string, context: FlowContext): string | undefined {
  const path = [...context.trail, step];
  for (let i = path.length - 1; i >= 0; i--) {
    const outcome = flow.states[path[i]!]?.meta.outcome;
    if (outcome) return outcome;
  }
  for (let i = path.length - 2; i >= 0; i--) {
    const asked = flow.states[path[i]!];
    if (asked?.meta.question === undefined) continue;
    const answer = transitionsOf(asked).find((t) => t.target === path[i + 1])?.event;
    return answer && `q${asked.meta.question}_${answer}`;
  }
  return undefined;
}

/** The situation of an FAQ answer variant said when the customer's account is known (their address was typed). */
export const ACCOUNT_KNOWN = 'account_known';

/** Every situation name an FAQ answer variant may have for `flow`: situationOf's, and ACCOUNT_KNOWN. */
export function situationNames(flow: FlowData): string[] {
  const names = new Set<string>([ACCOUNT_KNOWN]);
  for (const step of Object.values(flow.states)) {
    if (step.meta.outcome) names.add(step.meta.outcome);
    if (step.meta.question === undefined) continue;
    const transitions = transitionsOf(step);
    for (const t of transitions) {
      // As situationOf reads it: the first event that leads to the next step, and a verdict names itself.
      if (transitions.find((first) => first.target === t.target) !== t || flow.states[t.target]?.meta.outcome) continue;
      names.add(`q${step.meta.question}_${t.event}`);
    }
  }
  return [...names];
}
