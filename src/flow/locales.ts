/** Reads locales/<lang>/<namespace>.json into i18next resources. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource } from 'i18next';
import { FlowDataError } from './flow-data.ts';

export function loadLocales(root = '.'): Resource {
  const dir = join(root, 'locales');
  const resources: Resource = {};
  for (const lang of readdirSync(dir)) {
    resources[lang] = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json'))) {
      const path = `locales/${lang}/${file}`;
      try {
        resources[lang]![file.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, lang, file), 'utf8'));
      } catch (error) {
        throw new FlowDataError([{ file: path, key: '(file)', message: (error as Error).message }]);
      }
    }
  }
  return resources;
}
