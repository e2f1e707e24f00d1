import ja from '../../locales/ja/widget.json' with { type: 'json' };
import en from '../../locales/en/widget.json' with { type: 'json' };
import type { Lang } from './protocol.ts';

export type Strings = typeof ja;
export const strings: Record<Lang, Strings> = { ja, en };
