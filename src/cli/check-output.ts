// Renders `check` results: text (one line per finding, readable in a CI log), JSON (the
// stable shape of SPEC §6) or the mutated manifests as multi-document YAML.
import { stringify } from 'yaml';
import type { CheckRun } from './check-command.js';

export type OutputFormat = 'text' | 'json' | 'yaml';

export function renderText(run: CheckRun): string {
  const lines: string[] = [];
  let denied = 0;
  let warnings = 0;
  for (const r of run.results) {
    const where = `${r.manifest.file}:${r.manifest.doc}`;
    const what = `${r.kind} ${r.namespace}/${r.name || '<unnamed>'}`;
    const mutations = r.mutations.length > 0 ? `  mutations ${r.mutations.join(',')}` : '';
    if (!r.allowed) denied++;
    if (r.findings.length === 0) lines.push(`${where}  ${what}  ok${mutations}`);
    for (const f of r.findings) {
      if (f.severity === 'warn') warnings++;
      lines.push(`${where}  ${what}  ${f.rule} ${f.severity}  ${f.path}  ${f.message}`);
    }
    if (r.findings.length > 0 && mutations) lines.push(`${where}  ${what}${mutations}`);
  }
  const n = run.results.length;
  const skipped = run.skipped > 0 ? `, ${run.skipped} other object${run.skipped === 1 ? '' : 's'} skipped` : '';
  lines.push(
    `${n} object${n === 1 ? '' : 's'} checked: ${n - denied} allowed, ${denied} denied, ${warnings} warning${warnings === 1 ? '' : 's'}${skipped}`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderJson(run: CheckRun): string {
  const results = run.results.map((r) => ({
    kind: r.kind,
    namespace: r.namespace,
    name: r.name,
    allowed: r.allowed,
    violations: r.findings.map((f) => ({ rule: f.rule, severity: f.severity, path: f.path, message: f.message })),
    patch: r.patch,
  }));
  return `${JSON.stringify({ results }, null, 2)}\n`;
}

export function renderYaml(run: CheckRun): string {
  return run.documents.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

export function render(run: CheckRun, format: OutputFormat): string {
  return format === 'json' ? renderJson(run) : format === 'yaml' ? renderYaml(run) : renderText(run);
}
