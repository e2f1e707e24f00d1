/**
 * Romaji → hiragana, for customers typing Japanese without an IME ("sandaba-do", "hai", "wakaranai").
 * Only whole latin words that read entirely as romaji are converted; English words like "outlook" or
 * "yes" do not parse and are left alone. The result is a second reading tried after the first.
 */
const TABLE: Record<string, string> = {
  a: 'あ', i: 'い', u: 'う', e: 'え', o: 'お',
  ka: 'か', ki: 'き', ku: 'く', ke: 'け', ko: 'こ', kya: 'きや', kyu: 'きゆ', kyo: 'きよ',
  ga: 'が', gi: 'ぎ', gu: 'ぐ', ge: 'げ', go: 'ご', gya: 'ぎや', gyu: 'ぎゆ', gyo: 'ぎよ',
  sa: 'さ', si: 'し', shi: 'し', su: 'す', se: 'せ', so: 'そ', sha: 'しや', shu: 'しゆ', sho: 'しよ', she: 'しえ',
  sya: 'しや', syu: 'しゆ', syo: 'しよ',
  za: 'ざ', zi: 'じ', ji: 'じ', zu: 'ず', ze: 'ぜ', zo: 'ぞ', ja: 'じや', ju: 'じゆ', jo: 'じよ', je: 'じえ',
  zya: 'じや', zyu: 'じゆ', zyo: 'じよ', jya: 'じや', jyu: 'じゆ', jyo: 'じよ',
  ta: 'た', ti: 'ち', chi: 'ち', tu: 'つ', tsu: 'つ', te: 'て', to: 'と', cha: 'ちや', chu: 'ちゆ', cho: 'ちよ',
  tya: 'ちや', tyu: 'ちゆ', tyo: 'ちよ', che: 'ちえ',
  da: 'だ', di: 'ぢ', du: 'づ', de: 'で', do: 'ど', dhi: 'でい',
  na: 'な', ni: 'に', nu: 'ぬ', ne: 'ね', no: 'の', nya: 'にや', nyu: 'にゆ', nyo: 'によ',
  ha: 'は', hi: 'ひ', hu: 'ふ', fu: 'ふ', he: 'へ', ho: 'ほ', hya: 'ひや', hyu: 'ひゆ', hyo: 'ひよ',
  fa: 'ふあ', fi: 'ふい', fe: 'ふえ', fo: 'ふお',
  ba: 'ば', bi: 'び', bu: 'ぶ', be: 'べ', bo: 'ぼ', bya: 'びや', byu: 'びゆ', byo: 'びよ',
  pa: 'ぱ', pi: 'ぴ', pu: 'ぷ', pe: 'ぺ', po: 'ぽ', pya: 'ぴや', pyu: 'ぴゆ', pyo: 'ぴよ',
  ma: 'ま', mi: 'み', mu: 'む', me: 'め', mo: 'も', mya: 'みや', myu: 'みゆ', myo: 'みよ',
  ya: 'や', yu: 'ゆ', yo: 'よ',
  ra: 'ら', ri: 'り', ru: 'る', re: 'れ', ro: 'ろ', rya: 'りや', ryu: 'りゆ', ryo: 'りよ',
  la: 'ら', li: 'り', lu: 'る', le: 'れ', lo: 'ろ',
  wa: 'わ', wo: 'を', wi: 'うい', we: 'うえ',
  va: 'ば', vi: 'び', vu: 'ぶ', ve: 'べ', vo: 'ぼ',
};

/** Converts one latin word; null when it does not read as romaji. */
export function romajiWord(word: string): string | null {
  let out = '';
  let i = 0;
  const w = word.toLowerCase();
  while (i < w.length) {
    const ch = w[i]!;
    if (ch === '-') { out += 'ー'; i++; continue; }
    // Doubled consonant → っ (kka, tte, sshi); "nn" and a final or pre-consonant "n" → ん.
    if (ch === 'n') {
      const nx = w[i + 1];
      if (nx === 'n') { out += 'ん'; i += 2; continue; }
      if (nx === undefined || nx === "'" || !/[aiueoy]/.test(nx)) { out += 'ん'; i += nx === "'" ? 2 : 1; continue; }
    }
    if (ch === w[i + 1] && /[bcdfghjkmprstwz]/.test(ch)) { out += 'っ'; i++; continue; }
    if (ch === 't' && w[i + 1] === 'c' && w[i + 2] === 'h') { out += 'っ'; i++; continue; }
    let done = false;
    for (const len of [3, 2, 1]) {
      const kana = TABLE[w.slice(i, i + len)];
      if (kana !== undefined) { out += kana; i += len; done = true; break; }
    }
    if (!done) return null;
  }
  return out;
}

/** Converts every latin word of a text that reads as romaji; null when nothing changed. */
export function romajiText(text: string): string | null {
  let changed = false;
  const out = text.replace(/[a-z][a-z'-]*/g, (w) => {
    if (w.length < 2) return w;
    const k = romajiWord(w);
    if (k === null) return w;
    changed = true;
    return k;
  });
  return changed ? out : null;
}
