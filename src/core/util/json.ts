// Type-safe reads of untrusted JSON: every accessor returns undefined for a field of the wrong type.

export type JsonRecord = Record<string, unknown>;

export function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function recordAt(v: unknown, key: string): JsonRecord | undefined {
  if (!isRecord(v)) return undefined;
  const child = v[key];
  return isRecord(child) ? child : undefined;
}

export function stringAt(v: unknown, key: string): string | undefined {
  if (!isRecord(v)) return undefined;
  const child = v[key];
  return typeof child === 'string' ? child : undefined;
}

/** Path for messages: dotted, with bracket notation for keys holding dots or slashes. */
export function fieldPath(base: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base}.${key}` : `${base}['${key}']`;
}

/** A PostgreSQL setting as text; CNPG parameters are strings, but numbers/booleans are read leniently. */
export function settingText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A bare non-negative decimal integer (no units, no sign), as PostgreSQL integer GUCs here require. */
export function parseCount(text: string): number | undefined {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) return undefined;
  return Number(t);
}
