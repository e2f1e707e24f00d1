/**
 * isInNetworks: is an IP address inside any of the given CIDR blocks? IPv4 and IPv6, including
 * IPv4-mapped IPv6 (::ffff:203.0.113.5 is 203.0.113.5). Pure; malformed input is simply "not in".
 */

function parseV4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseV6(s: string): bigint | null {
  let text = s.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseV4(text.slice(lastColon + 1));
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  return v;
}

interface Addr { v: bigint; bits: 32 | 128 }

function parseAddr(s: string): Addr | null {
  const t = s.trim().replace(/^\[|\]$/g, '');
  if (t.includes(':')) {
    const v = parseV6(t);
    if (v === null) return null;
    // IPv4-mapped IPv6 is the IPv4 address it carries.
    if (v >> 32n === 0xffffn) return { v: v & 0xffffffffn, bits: 32 };
    return { v, bits: 128 };
  }
  const v = parseV4(t);
  return v === null ? null : { v, bits: 32 };
}

export function isInNetworks(ip: string, cidrs: readonly string[]): boolean {
  if (typeof ip !== 'string' || !Array.isArray(cidrs)) return false;
  const addr = parseAddr(ip);
  if (!addr) return false;
  for (const cidr of cidrs) {
    if (typeof cidr !== 'string') continue;
    const [base = '', lenText] = cidr.trim().split('/');
    const net = parseAddr(base);
    if (!net) continue;
    const bits = net.bits;
    const netV = net.v;
    let len = lenText === undefined ? bits : /^\d{1,3}$/.test(lenText) ? Number(lenText) : -1;
    // A mapped-IPv6 CIDR (::ffff:192.0.2.0/120) speaks about IPv4 addresses.
    if (base.includes(':') && net.bits === 32 && len >= 96) len -= 96;
    if (len < 0 || len > bits) continue;
    if (net.bits !== addr.bits) continue;
    const shift = BigInt(bits - len);
    if (addr.v >> shift === netV >> shift) return true;
  }
  return false;
}
