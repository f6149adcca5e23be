// Shape of one pg_trickle GUC as recorded in the catalog facts (guc-catalog-<version>.json).
// Numbers stay strings exactly as the facts give them; the checker parses them.

/** PostgreSQL GUC contexts that occur in the catalog (who may change the setting, and when). */
export type GucContext = 'postmaster' | 'sighup' | 'suset' | 'userset';

interface GucBase {
  readonly name: string;
  readonly context: GucContext;
  readonly default: string;
  /** A fact worth telling the user (consequence, alias, removal); prose. */
  readonly note?: string;
}

export interface BoolGuc extends GucBase {
  readonly type: 'bool';
}

export interface IntegerGuc extends GucBase {
  readonly type: 'integer';
  readonly min: string;
  readonly max: string;
}

export interface RealGuc extends GucBase {
  readonly type: 'real';
  readonly min: string;
  readonly max: string;
}

/** A string GUC; with `values` it behaves like an enum, without it any string is accepted. */
export interface StringGuc extends GucBase {
  readonly type: 'string';
  readonly values?: readonly string[];
}

export type GucSpec = BoolGuc | IntegerGuc | RealGuc | StringGuc;
