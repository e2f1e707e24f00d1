/** The flowchart and the client catalogue turned into a checked flow bundle; every problem is reported, not just the first. Pure. */
import { catalogueSchema, osIds, type Catalogue } from './catalogue.ts';
import { checkFlowStructure, flowSchema, zodProblems, type DataProblem, type FlowData } from './flow-data.ts';
import { buildMachine, commandEvents, createStepper, createTransition, dataActionNames, dataGuardNames, type FlowMachine, type Stepper, type Transition } from './machine.ts';

export interface FlowBundle {
  flow: FlowData;
  catalogue: Catalogue;
  machine: FlowMachine;
  step: Stepper;
  /** `step` on plain data, remembered (what a turn uses). */
  transition: Transition;
}

export const FLOW_FILE = 'flows/flowchart.json';
export const CLIENTS_FILE = 'flows/clients.json';

/** Reply payloads that are commands or expand to the client list rather than being a step's own events. */
export const commandReplies = ['restart', 'back', 'continue'] as const;
const clientListReply = /^clients:(.+)$/;

export function expandClientReply(payload: string): string | undefined {
  return clientListReply.exec(payload)?.[1];
}

/**
 * The bundle when the flowchart and the catalogue pass every check; `flow` and `catalogue` as soon as each has the
 * right shape, so the sentences they need can be checked too while structural problems remain.
 */
export function checkFlowData(rawFlow: unknown, rawClients: unknown): { bundle?: FlowBundle; flow?: FlowData; catalogue?: Catalogue; problems: DataProblem[] } {
  const flow = flowSchema.safeParse(rawFlow);
  const catalogue = catalogueSchema.safeParse(rawClients);
  const shapes = { flow: flow.data, catalogue: catalogue.data };
  const problems: DataProblem[] = [
    ...(flow.success ? [] : zodProblems(FLOW_FILE, flow.error)),
    ...(catalogue.success ? [] : zodProblems(CLIENTS_FILE, catalogue.error)),
  ];
  if (flow.success) {
    problems.push(
      ...checkFlowStructure(flow.data, {
        guards: dataGuardNames,
        actions: dataActionNames,
        reservedEvents: commandEvents,
        isKnownReply: (p) =>
          (commandReplies as readonly string[]).includes(p) || (osIds as readonly string[]).includes(expandClientReply(p) ?? ''),
      }),
    );
  }
  if (problems.length > 0 || !flow.success || !catalogue.success) return { ...shapes, problems };
  const machine = buildMachine(flow.data, catalogue.data);
  const step = createStepper(machine);
  return { ...shapes, bundle: { flow: flow.data, catalogue: catalogue.data, machine, step, transition: createTransition(machine, step) }, problems };
}
