// The names pg_trickle and this webhook use on a CNPG Cluster (SPEC §1, §2).

/** CNPG extension entry / mount directory name that M01 injects (the `_` spelling needs CNPG ≥ 1.27.3/1.28.1). */
export const EXTENSION_ENTRY_NAME = 'pg-trickle';
/** Entry names recognised as pg_trickle's ImageVolume extension. */
export const EXTENSION_ENTRY_NAMES: readonly string[] = ['pg-trickle', 'pg_trickle'];
/** Library name in `shared_preload_libraries`. */
export const PRELOAD_LIBRARY = 'pg_trickle';
/** SQL extension name in `Database.spec.extensions[].name`. */
export const SQL_EXTENSION = 'pg_trickle';
export const PARAMETER_PREFIX = 'pg_trickle.';

export const LABEL_INJECT = 'pgtrickle.io/inject';
export const ANNOTATION_INJECTED_IMAGE = 'pgtrickle.io/injected-image';
export const ANNOTATION_EXTRA_DATABASES = 'pgtrickle.io/extra-databases';
export const ANNOTATION_ALLOW_REMOVAL = 'pgtrickle.io/allow-removal';

export const PRELOAD_LIST_PATH = 'spec.postgresql.shared_preload_libraries';
export const PARAMETERS_PATH = 'spec.postgresql.parameters';
export const EXTENSIONS_PATH = 'spec.postgresql.extensions';
