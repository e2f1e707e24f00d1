/** `npm run flows:diagram [out]`: writes docs/flow.md (Mermaid) from flows/flowchart.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadDataOrThrow } from '../src/flow/load.ts';
import { createTranslate } from '../src/conversation/i18n.ts';
import { flowMarkdown } from '../src/staff/diagram.ts';

const out = process.argv[2] ?? 'docs/flow.md';
const { bundle, resources } = loadDataOrThrow();
const t = createTranslate(resources);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, flowMarkdown(bundle.flow, (key) => t('ja', key)));
console.log(`flows:diagram: wrote ${out}`);
