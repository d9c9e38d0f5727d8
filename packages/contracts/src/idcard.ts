// Chinese resident ID-card numbers (GB 11643): 17 digits + a check character (0-9 or X).
// Other documents (passports, HK/Macau/Taiwan permits) are allowed when they are not 18 characters long.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idCardCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** null when acceptable, otherwise a reason key: 'format' | 'checksum'. */
export function idNumberProblem(raw: string): 'format' | 'checksum' | null {
  const v = raw.trim().toUpperCase();
  if (/^\d{17}[\dX]$/.test(v)) return idCardCheckChar(v.slice(0, 17)) === v[17] ? null : 'checksum';
  if (v.length === 18) return 'format';
  return /^[A-Z0-9()-]{6,20}$/.test(v) ? null : 'format';
}

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}
