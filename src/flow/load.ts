/** Reads flows/ and turns it into a checked flow bundle; every problem is reported, not just the first. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogueSchema, osIds, type Catalogue } from './catalogue.ts';
import { checkFlowStructure, flowSchema, FlowDataError, zodProblems, type DataProblem, type FlowData } from './flow-data.ts';
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

export function checkFlowData(rawFlow: unknown, rawClients: unknown): { bundle?: FlowBundle; problems: DataProblem[] } {
  const flow = flowSchema.safeParse(rawFlow);
  const catalogue = catalogueSchema.safeParse(rawClients);
  const problems: DataProblem[] = [
    ...(flow.success ? [] : zodProblems(FLOW_FILE, flow.error)),
    ...(catalogue.success ? [] : zodProblems(CLIENTS_FILE, catalogue.error)),
  ];
  if (!flow.success || !catalogue.success) return { problems };

  problems.push(
    ...checkFlowStructure(flow.data, {
      guards: dataGuardNames,
      actions: dataActionNames,
      reservedEvents: commandEvents,
      isKnownReply: (p) =>
        (commandReplies as readonly string[]).includes(p) || (osIds as readonly string[]).includes(expandClientReply(p) ?? ''),
    }),
  );
  if (problems.length > 0) return { problems };
  const machine = buildMachine(flow.data, catalogue.data);
  const step = createStepper(machine);
  return { bundle: { flow: flow.data, catalogue: catalogue.data, machine, step, transition: createTransition(machine, step) }, problems };
}

export function readJson(root: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(join(root, file), 'utf8'));
  } catch (error) {
    throw new FlowDataError([{ file, key: '(file)', message: (error as Error).message }]);
  }
}

export function loadFlowBundle(root = '.'): FlowBundle {
  const { bundle, problems } = checkFlowData(readJson(root, FLOW_FILE), readJson(root, CLIENTS_FILE));
  if (!bundle) throw new FlowDataError(problems);
  return bundle;
}
