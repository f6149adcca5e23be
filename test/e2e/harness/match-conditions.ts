// The CEL matchConditions that keep Clusters which do not use pg_trickle away from the
// webhook (SPEC §2). The ONE source of these expressions: the Helm chart copies them.
//
// A Cluster reaches the webhook when the new object (or, on UPDATE, the old one — so a
// removal is still judged) has any of:
//   - label `pgtrickle.io/inject: "true"`
//   - `pg_trickle` in `spec.postgresql.shared_preload_libraries`
//   - an extension entry named `pg-trickle` or `pg_trickle`
//   - a `pg_trickle.*` parameter, or `pg_trickle` inside `parameters.shared_preload_libraries`
// Every step is guarded with has()/type() so the expression never errors: an evaluation
// error counts as a webhook failure and, with failurePolicy Fail, would refuse the object.
//
// With policy `injection.mode: always` every Cluster must reach the mutating webhook: use
// no matchConditions then (clusterMatchConditions('always') returns []).
// Databases carry no condition: any Database can change its Cluster's worker budget (PGT022).

export interface MatchCondition {
  name: string;
  expression: string;
}

/** CEL: does the object bound to `v` (`object` or `oldObject`) use pg_trickle? */
export function usesPgTrickleCel(v: 'object' | 'oldObject'): string {
  const pg = `${v}.spec.postgresql`;
  const label = `(has(${v}.metadata.labels) && ${v}.metadata.labels.exists(k, k == 'pgtrickle.io/inject' && ${v}.metadata.labels[k] == 'true'))`;
  const preload = `(has(${pg}.shared_preload_libraries) && ${pg}.shared_preload_libraries.exists(l, l == 'pg_trickle'))`;
  const extension = `(has(${pg}.extensions) && ${pg}.extensions.exists(e, has(e.name) && (e.name == 'pg-trickle' || e.name == 'pg_trickle')))`;
  const params =
    `(has(${pg}.parameters) && ${pg}.parameters.exists(k, k.startsWith('pg_trickle.') || ` +
    `(k == 'shared_preload_libraries' && type(${pg}.parameters[k]) == string && ${pg}.parameters[k].contains('pg_trickle'))))`;
  const inSpec = `(has(${v}.spec) && has(${v}.spec.postgresql) && (${preload} || ${extension} || ${params}))`;
  return `${label} || ${inSpec}`;
}

/** The condition on Cluster webhooks: the new object, or on UPDATE the old one, uses pg_trickle. */
export const USES_PG_TRICKLE: MatchCondition = {
  name: 'uses-pg-trickle',
  expression: `(${usesPgTrickleCel('object')}) || (oldObject != null && (${usesPgTrickleCel('oldObject')}))`,
};

/** matchConditions for the Cluster webhooks under the policy's injection mode. */
export function clusterMatchConditions(injectionMode: 'label' | 'always' = 'label'): MatchCondition[] {
  return injectionMode === 'always' ? [] : [USES_PG_TRICKLE];
}
