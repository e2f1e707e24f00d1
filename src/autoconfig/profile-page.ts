/**
 * The small HTML page behind /mail.mobileconfig when no (or a wrong) address was given: a Japanese explanation
 * and a form for the address. No script, no customer input in the page (the wrong address is not echoed);
 * every text comes from locales/ja/autoconfig.json and is HTML-escaped.
 */
import type { MailSettings } from '../config.ts';
import type { AddressProblem } from './address.ts';
import type { Texts } from './texts.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

export type PageProblem = AddressProblem | 'unavailable';

export function profilePage(texts: Texts, mail: MailSettings, problem?: PageProblem): string {
  const vars = { domain: mail.domain, displayName: mail.displayName };
  const t = (key: string): string => escapeHtml(texts.t(key, vars));
  const paragraphs = (key: string): string =>
    t(key)
      .split('\n')
      .map((line) => `<p>${line}</p>`)
      .join('\n');
  const error = problem ? `<div class="error" role="alert">\n${paragraphs(`profile.error.${problem}`)}\n</div>\n` : '';
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t('profile.page.title')}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.7; font-size: 1.1rem; }
.error { border: 2px solid #b00020; padding: 0 1rem; margin: 1rem 0; }
label { display: block; font-weight: bold; margin-top: 1rem; }
input, button { font-size: 1.2rem; padding: 0.5rem; width: 100%; box-sizing: border-box; margin-top: 0.5rem; }
</style>
</head>
<body>
<h1>${t('profile.page.title')}</h1>
${error}${paragraphs('profile.page.intro')}
<form method="get" action="mail.mobileconfig">
<label for="email">${t('profile.page.label')}</label>
<input id="email" name="email" type="email" inputmode="email" autocomplete="email" autocapitalize="off" spellcheck="false" required maxlength="254">
<button type="submit">${t('profile.page.submit')}</button>
</form>
${paragraphs('profile.page.after')}
</body>
</html>
`;
}
