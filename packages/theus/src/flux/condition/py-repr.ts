/**
 * Python's `str()` and `repr()` for condition values, so `str(True) == 'True'` and
 * `str(None) == 'None'` hold as they do in the original.
 *
 * @packageDocumentation
 */
import { entriesOf, isMapping, listItems } from './access.js';
import { BudgetFault, WorkMeter, type Meter } from './budget.js';
import { fault, typeName } from './fault.js';

const MAX_DEPTH = 100;

/** A float the way Python prints it: shortest round-trip digits, exponent outside 1e-4..1e16. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) return String(value);
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Python's repr of a string: single quotes unless the text holds a single quote and no double. */
function quote(text: string): string {
  const q = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = q;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === q || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + q;
}

/** How many units {@link describeValue} may spend: enough for any short value. */
const DESCRIBE_BUDGET = 200;

/**
 * Python `repr(value)`; offset is where a failure (cyclic data) is reported. The text of a
 * scalar costs one unit of `meter` per character.
 */
export function pyRepr(value: unknown, offset: number, meter: Meter, depth = 0): string {
  if (typeof value === 'object' && value !== null) return pyStr(value, offset, meter, depth);
  if (typeof value !== 'string') {
    const text = pyStr(value, offset, meter, depth);
    meter.charge(text.length, offset);
    return text;
  }
  meter.charge(1 + value.length, offset);
  return quote(value);
}

/** Python `str(value)`; a list or mapping costs one unit per item plus the text of its items. */
export function pyStr(value: unknown, offset: number, meter: Meter, depth = 0): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatFloat(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return `<${typeof value}>`;
  if (depth > MAX_DEPTH) fault(`str() met data nested more than ${MAX_DEPTH} levels deep (is it cyclic?)`, offset);
  if (Array.isArray(value)) {
    const items = listItems(value, offset);
    meter.charge(2 + items.length, offset);
    return `[${items.map((item) => pyRepr(item, offset, meter, depth + 1)).join(', ')}]`;
  }
  if (!isMapping(value)) return '<object>';
  const entries = entriesOf(value, offset, meter).map(
    ([k, v]) => `${pyRepr(k, offset, meter, depth + 1)}: ${pyRepr(v, offset, meter, depth + 1)}`,
  );
  meter.charge(2, offset);
  return `{${entries.join(', ')}}`;
}

/** A short repr for error messages (never throws, never runs long: big values are summarised). */
export function describeValue(value: unknown): string {
  try {
    const text = pyRepr(value, 0, new WorkMeter(DESCRIBE_BUDGET));
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch (error) {
    return error instanceof BudgetFault ? `<a long ${typeName(value)}>` : '<unprintable>';
  }
}
