/**
 * The shape of flows/flowchart.json and the checks that keep staff edits from breaking the flow.
 * XState silently ignores an unknown action or guard name in a JSON config, so every name is checked here.
 */
import { z } from 'zod';

export const outcomeIds = [
  'no-change-needed',
  'change-recommended',
  'change-required-other-provider',
  'change-required-owari',
] as const;
export type OutcomeId = (typeof outcomeIds)[number];

export const expectations = ['yesno', 'os', 'client', 'none'] as const;
export const linkKinds = ['manual', 'contact', 'rental'] as const;
export type LinkKind = (typeof linkKinds)[number];

const named = z.union([
  z.string().min(1),
  z.object({ type: z.string().min(1), params: z.record(z.string(), z.unknown()).optional() }).strict(),
]);

const transitionSchema = z.union([
  z.string().min(1),
  z
    .object({
      target: z.string().min(1),
      guard: named.optional(),
      actions: z.array(named).optional(),
    })
    .strict(),
]);

const stepMetaSchema = z
  .object({
    say: z.array(z.string().min(1)).min(1, 'a step must say something'),
    expects: z.enum(expectations),
    replies: z.array(z.string().min(1)),
    question: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    outcome: z.enum(outcomeIds).optional(),
    unsure: z.string().min(1).optional(),
    /** Said before the step when the customer connects from OWARI_NETWORKS, so they confirm rather than guess. */
    networkHint: z.string().min(1).optional(),
    links: z.array(z.enum(linkKinds)).optional(),
    /**
     * The fact this step asks for (usesMailSoftware | viaOwari | owariAddress | os | client). When the
     * conversation already knows it, the step is passed without asking, along the transition of that answer.
     */
    fact: z.enum(['usesMailSoftware', 'viaOwari', 'owariAddress', 'os', 'client']).optional(),
    /**
     * What is said again when the customer's message was not understood here: the question alone, never a
     * verdict or a settings block again (default: the whole `say` of a question step, nothing of other steps).
     * A verdict step passed because its question's fact was known says its `say` without these keys.
     */
    reask: z.array(z.string().min(1)).optional(),
  })
  .strict();

const stepSchema = z
  .object({
    meta: stepMetaSchema,
    on: z.record(z.string(), z.union([transitionSchema, z.array(transitionSchema).min(1)])).optional(),
  })
  .strict();

export const flowSchema = z
  .object({
    $comment: z.string().optional(),
    id: z.string().min(1),
    version: z.number().int().positive(),
    initial: z.string().min(1),
    states: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'step ids are lower_snake_case'), stepSchema),
  })
  .strict();

export type FlowData = z.infer<typeof flowSchema>;
export type StepData = FlowData['states'][string];
export type StepMeta = StepData['meta'];
export type TransitionData = z.infer<typeof transitionSchema>;

export interface NormalizedTransition {
  event: string;
  target: string;
  guard?: { type: string; params?: Record<string, unknown> };
  actions: { type: string; params?: Record<string, unknown> }[];
}

const asNamed = (n: z.infer<typeof named>) => (typeof n === 'string' ? { type: n } : n);

export function transitionsOf(step: StepData): NormalizedTransition[] {
  return Object.entries(step.on ?? {}).flatMap(([event, value]) =>
    (Array.isArray(value) ? value : [value]).map((t) =>
      typeof t === 'string'
        ? { event, target: t, actions: [] }
        : { event, target: t.target, guard: t.guard ? asNamed(t.guard) : undefined, actions: (t.actions ?? []).map(asNamed) },
    ),
  );
}

/** A problem in flows/ or locales/, located by file and key so staff can find it. */
export interface DataProblem {
  file: string;
  key: string;
  message: string;
}

export class FlowDataError extends Error {
  constructor(readonly problems: DataProblem[]) {
    super(`The flow data has ${problems.length} problem(s):\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'FlowDataError';
  }
}

export const formatProblem = (p: DataProblem) => `  ${p.file} ${p.key}: ${p.message}`;

export function zodProblems(file: string, error: z.ZodError): DataProblem[] {
  return error.issues.map((i) => ({ file, key: i.path.join('.') || '(root)', message: i.message }));
}

/** Sentences the bot computes (written `@name` in meta.say) rather than looks up in locales/. */
export const computedSentences = ['@autoconfig_shortcut', '@confirmed_clients'] as const;

export interface FlowCheckNames {
  guards: readonly string[];
  actions: readonly string[];
  /** Events the builder adds to every step (commands); not allowed in the data. */
  reservedEvents: readonly string[];
  /** Reply payloads that are not events of the step (commands, dynamic lists). */
  isKnownReply: (payload: string) => boolean;
}

/** Structural checks zod cannot express: targets, names, reachability, outcomes. */
export function checkFlowStructure(flow: FlowData, names: FlowCheckNames, file = 'flows/flowchart.json'): DataProblem[] {
  const problems: DataProblem[] = [];
  const steps = flow.states;
  if (!steps[flow.initial]) problems.push({ file, key: 'initial', message: `unknown step "${flow.initial}"` });

  for (const [id, step] of Object.entries(steps)) {
    const at = `states.${id}`;
    for (const t of transitionsOf(step)) {
      const where = `${at}.on.${t.event}`;
      if (!steps[t.target]) problems.push({ file, key: where, message: `unknown target step "${t.target}"` });
      if (names.reservedEvents.includes(t.event)) problems.push({ file, key: where, message: `"${t.event}" is a command available at every step; remove it here` });
      if (t.guard && !names.guards.includes(t.guard.type)) problems.push({ file, key: where, message: `unknown guard "${t.guard.type}" (known: ${names.guards.join(', ')})` });
      for (const a of t.actions) {
        if (!names.actions.includes(a.type)) problems.push({ file, key: where, message: `unknown action "${a.type}" (known: ${names.actions.join(', ')})` });
      }
    }
    for (const key of step.meta.say) {
      if (key.startsWith('@') && !(computedSentences as readonly string[]).includes(key)) {
        problems.push({ file, key: `${at}.meta.say`, message: `unknown computed sentence "${key}" (known: ${computedSentences.join(', ')})` });
      }
    }
    const events = new Set(transitionsOf(step).map((t) => t.event));
    for (const reply of step.meta.replies) {
      if (reply === 'unsure') {
        if (!step.meta.unsure) problems.push({ file, key: `${at}.meta.unsure`, message: 'offers "unsure" but says nothing for it: add meta.unsure' });
        continue;
      }
      if (!events.has(reply) && !names.isKnownReply(reply)) {
        problems.push({ file, key: `${at}.meta.replies`, message: `reply "${reply}" leads nowhere: add an "on.${reply}" transition` });
      }
    }
    if (step.meta.expects === 'yesno' && !(events.has('yes') && events.has('no'))) {
      problems.push({ file, key: `${at}.on`, message: 'a yes/no step needs both "yes" and "no" transitions' });
    }
    const fact = step.meta.fact;
    if (fact) {
      const answers: Record<string, readonly string[]> = {
        usesMailSoftware: ['yes', 'no'],
        viaOwari: ['yes', 'no'],
        owariAddress: ['yes', 'no'],
        os: ['windows', 'mac', 'smartphone', 'other'],
        client: ['client', 'other'],
      };
      for (const event of events) {
        if (!answers[fact]!.includes(event)) problems.push({ file, key: `${at}.on.${event}`, message: `a step asking "${fact}" can only be answered by ${answers[fact]!.join(', ')}` });
      }
      const expects = { usesMailSoftware: 'yesno', viaOwari: 'yesno', owariAddress: 'yesno', os: 'os', client: 'client' }[fact];
      if (step.meta.expects !== expects) problems.push({ file, key: `${at}.meta.fact`, message: `a step asking "${fact}" expects "${expects}"` });
      if (step.meta.outcome && !step.meta.reask) problems.push({ file, key: `${at}.meta.reask`, message: 'a verdict that asks a question needs `reask`: its question, said alone when the verdict is passed or repeated' });
    }
    for (const key of step.meta.reask ?? []) {
      if (!step.meta.say.includes(key)) problems.push({ file, key: `${at}.meta.reask`, message: `"${key}" is not one of the step's own sentences (meta.say)` });
    }
    if (step.meta.question !== undefined && step.meta.outcome !== undefined) {
      problems.push({ file, key: `${at}.meta`, message: 'a step is either a question or a verdict, not both' });
    }
  }

  const reachable = new Set<string>();
  const queue = [flow.initial];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reachable.has(id) || !steps[id]) continue;
    reachable.add(id);
    for (const t of transitionsOf(steps[id]!)) queue.push(t.target);
  }
  for (const id of Object.keys(steps)) {
    if (!reachable.has(id)) problems.push({ file, key: `states.${id}`, message: 'unreachable: no transition leads to this step' });
  }

  const verdicts = new Set(Object.values(steps).map((s) => s.meta.outcome).filter(Boolean));
  for (const outcome of ['no-change-needed', 'change-recommended', 'change-required-other-provider', 'change-required-owari']) {
    if (!verdicts.has(outcome as OutcomeId)) problems.push({ file, key: 'states', message: `no step gives the verdict "${outcome}"` });
  }
  return problems;
}
