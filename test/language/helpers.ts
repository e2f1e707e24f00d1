import { loadDataOrThrow } from '../../src/flow/load.ts';
import { understand, type StepContext, type Understanding } from '../../src/language/index.ts';

const data = loadDataOrThrow();

export const lexicon = data.lexicon;

export const steps = {
  q1: { expects: 'yesno', offered: ['yes', 'no', 'unsure'], question: 1 },
  q2: { expects: 'yesno', offered: ['yes', 'no', 'unsure'], question: 2 },
  q3: { expects: 'yesno', offered: ['yes', 'no', 'unsure'], question: 3 },
  recommended: { expects: 'yesno', offered: ['yes', 'no'] },
  os: { expects: 'os', offered: ['windows', 'mac', 'smartphone', 'other'] },
  clientWindows: { expects: 'client', offered: ['thunderbird', 'outlook', 'outlook_express', 'becky', 'other'], os: 'windows' },
  clientMac: { expects: 'client', offered: ['thunderbird', 'apple_mail', 'other'], os: 'mac' },
  clientPhone: { expects: 'client', offered: ['iphone_mail', 'gmail_app', 'other'], os: 'smartphone' },
  settings: { expects: 'none', offered: ['another_client', 'restart'] },
  finished: { expects: 'none', offered: ['yes_settings', 'restart'] },
  verdict: { expects: 'none', offered: ['restart'] },
} satisfies Record<string, StepContext>;

export const u = (text: string, step: StepContext = steps.q1): Understanding => understand(text, step, lexicon);
