/**
 * Windows-1252 ("ANSI" on Western Windows): CAB names without the UTF-8 flag and MSI string pools with codepage
 * 1252 or 0 use it. Node 20's TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1 C1 controls instead of
 * €, ‚, ƒ, …, Ÿ, so the 32 differing code points are mapped here (WHATWG Encoding, index-windows-1252).
 */
const HIGH_80_9F = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
  0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b <= 0x9f ? (HIGH_80_9F[b - 0x80] ?? b) : b);
  return out;
}
