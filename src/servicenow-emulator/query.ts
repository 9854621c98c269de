/**
 * @module servicenow-emulator/query
 * ServiceNow's encoded queries (`sysparm_query`), as the Table API reference and the "Encoded
 * query strings" / "Operators available for filters and queries" pages describe them:
 * `<field><OPERATOR><value>` conditions joined by `^` (AND) and `^OR` (OR, binding only the
 * conditions either side, so tighter than AND), `^NQ` starting a new query OR'ed with the
 * previous one, and `ORDERBY<field>` / `ORDERBYDESC<field>` clauses. Field names are lower case
 * (as ServiceNow dictionary names are), operators upper case, which is what makes `phoneIN...`
 * readable without a separator. Text comparisons ignore case, as ServiceNow's database does.
 * Sorting ignores case too. Unlike ServiceNow, which silently ignores a condition it cannot read, the emulator refuses it
 * (a 400 that names the condition): a bug in a query should fail a test, not match everything.
 */

/** Operators the emulator understands, longest first (so `NOT IN` wins over `IN`, `>=` over `>`). */
export const OPERATORS = ['ISNOTEMPTY', 'ISEMPTY', 'ANYTHING', 'NOT LIKE', 'NOTLIKE', 'NOT IN', 'STARTSWITH', 'ENDSWITH', 'CONTAINS', 'LIKE', 'IN', '!=', '>=', '<=', '=', '>', '<'] as const;
export type Operator = (typeof OPERATORS)[number];

const NO_VALUE: ReadonlySet<Operator> = new Set(['ISNOTEMPTY', 'ISEMPTY', 'ANYTHING']);

export interface Condition {
  field: string;
  op: Operator;
  value: string;
}

/** Conditions OR'ed together (`a^ORb`). */
export type Alternatives = Condition[];

export interface OrderBy {
  field: string;
  desc: boolean;
}

export interface EncodedQuery {
  /** OR of groups (`^NQ`); each group is an AND of alternatives. */
  groups: Alternatives[][];
  orderBy: OrderBy[];
}

export class QueryError extends Error {
  override readonly name = 'QueryError';
}

const FIELD = /^[a-z0-9_][a-z0-9_.]*/;

function parseCondition(token: string): Condition {
  const m = FIELD.exec(token);
  if (m === null) throw new QueryError(`invalid condition "${token}": it must start with a field name`);
  const field = m[0];
  const rest = token.slice(field.length);
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (op === undefined) throw new QueryError(`invalid condition "${token}": no operator after "${field}" (known: ${OPERATORS.join(', ')})`);
  const value = rest.slice(op.length);
  if (NO_VALUE.has(op) && value !== '') throw new QueryError(`invalid condition "${token}": ${op} takes no value`);
  return { field, op, value };
}

/**
 * Parse an encoded query. Empty text matches everything.
 *
 * @example
 * parseEncodedQuery('phoneIN+41445550101,0445550101^ORmobile_phoneIN+41445550101^ORDERBYname');
 */
export function parseEncodedQuery(text: string): EncodedQuery {
  const orderBy: OrderBy[] = [];
  const groups: Alternatives[][] = [];
  for (const part of text.split('^NQ')) {
    const group: Alternatives[] = [];
    for (const raw of part.split('^')) {
      if (raw === '' || raw === 'EQ') continue;
      if (raw.startsWith('ORDERBYDESC')) {
        orderBy.push({ field: raw.slice('ORDERBYDESC'.length), desc: true });
        continue;
      }
      if (raw.startsWith('ORDERBY')) {
        orderBy.push({ field: raw.slice('ORDERBY'.length), desc: false });
        continue;
      }
      if (raw.startsWith('OR')) {
        const last = group[group.length - 1];
        if (last === undefined) throw new QueryError(`invalid query "${text}": ^OR without a condition before it`);
        last.push(parseCondition(raw.slice(2)));
        continue;
      }
      group.push([parseCondition(raw)]);
    }
    if (group.length > 0) groups.push(group);
  }
  for (const o of orderBy) if (!FIELD.test(o.field)) throw new QueryError(`invalid ORDERBY "${o.field}": not a field name`);
  return { groups, orderBy };
}

const lower = (s: string): string => s.toLowerCase();

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  const la = lower(a);
  const lb = lower(b);
  return la < lb ? -1 : la > lb ? 1 : 0;
}

/** True when `row` satisfies the condition (a field the row lacks reads as empty). */
export function matchesCondition(row: Readonly<Record<string, string>>, c: Condition): boolean {
  const v = row[c.field] ?? '';
  switch (c.op) {
    case '=':
      return lower(v) === lower(c.value);
    case '!=':
      return lower(v) !== lower(c.value);
    case 'IN':
      return c.value.split(',').some((x) => lower(x) === lower(v));
    case 'NOT IN':
      return !c.value.split(',').some((x) => lower(x) === lower(v));
    case 'LIKE':
    case 'CONTAINS':
      return lower(v).includes(lower(c.value));
    case 'NOT LIKE':
    case 'NOTLIKE':
      return !lower(v).includes(lower(c.value));
    case 'STARTSWITH':
      return lower(v).startsWith(lower(c.value));
    case 'ENDSWITH':
      return lower(v).endsWith(lower(c.value));
    case 'ISEMPTY':
      return v === '';
    case 'ISNOTEMPTY':
      return v !== '';
    case 'ANYTHING':
      return true;
    case '>':
      return compare(v, c.value) > 0;
    case '>=':
      return compare(v, c.value) >= 0;
    case '<':
      return compare(v, c.value) < 0;
    case '<=':
      return compare(v, c.value) <= 0;
  }
}

/** True when `row` satisfies the query. */
export function matchesQuery(row: Readonly<Record<string, string>>, q: EncodedQuery): boolean {
  if (q.groups.length === 0) return true;
  return q.groups.some((group) => group.every((alts) => alts.some((c) => matchesCondition(row, c))));
}

/** The rows that satisfy the query, ordered by its ORDERBY clauses (stable: ties keep insertion order). */
export function runQuery<R extends Readonly<Record<string, string>>>(rows: Iterable<R>, q: EncodedQuery): R[] {
  const out = [...rows].filter((r) => matchesQuery(r, q));
  if (q.orderBy.length === 0) return out;
  return out
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      for (const o of q.orderBy) {
        const d = compare(a.row[o.field] ?? '', b.row[o.field] ?? '');
        if (d !== 0) return o.desc ? -d : d;
      }
      return a.i - b.i;
    })
    .map((x) => x.row);
}
