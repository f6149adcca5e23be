// Installs CustomResourceDefinitions from YAML files and waits until they are served.
// CRDs go over raw HTTP as JSON: the typed client would drop `x-kubernetes-*` keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CNPG_CRDS_DIR } from '../../support/shared.js';
import type { ControlPlane } from './control-plane.js';
import { waitFor } from './processes.js';

interface CrdDoc {
  kind?: string;
  metadata?: { name?: string };
  spec?: { group?: string; names?: { plural?: string }; versions?: Array<{ name?: string; served?: boolean }> };
}

interface CrdStatus {
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

/** Creates every CustomResourceDefinition in `files`; resolves once each is Established and listable. Returns their names. */
export async function installCrds(cp: ControlPlane, files: string[], timeoutMs = 60_000): Promise<string[]> {
  const crds: CrdDoc[] = [];
  for (const file of files) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? 'YAML error'}`);
      const obj = doc.toJS() as CrdDoc | null;
      if (obj?.kind === 'CustomResourceDefinition') crds.push(obj);
    }
  }
  if (crds.length === 0) throw new Error(`no CustomResourceDefinition in ${files.join(', ')}`);
  for (const crd of crds) {
    const res = await cp.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    if (res.status !== 201 && res.status !== 409) throw new Error(`creating CRD ${crd.metadata?.name ?? '?'}: HTTP ${res.status} ${res.body}`);
  }
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    await waitFor(`CRD ${name} Established`, async () => {
      const res = await cp.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      const conds = (JSON.parse(res.body) as CrdStatus).status?.conditions ?? [];
      return conds.some((c) => c.type === 'Established' && c.status === 'True');
    }, { timeoutMs });
    const version = crd.spec?.versions?.find((v) => v.served !== false)?.name;
    const path = `/apis/${crd.spec?.group ?? ''}/${version ?? ''}/${crd.spec?.names?.plural ?? ''}`;
    await waitFor(`CRD ${name} served at ${path}`, async () => (await cp.get(path)).status === 200, { timeoutMs });
  }
  return crds.map((c) => c.metadata?.name ?? '');
}

/** The real CNPG Cluster and Database CRDs of `version` (1.26.0, 1.27.0, 1.28.0, 1.30.0) from CNPG_CRDS_DIR. */
export async function installCnpgCrds(cp: ControlPlane, version = '1.30.0'): Promise<string[]> {
  const files = ['clusters', 'databases'].map((p) => join(CNPG_CRDS_DIR, `v${version}-postgresql.cnpg.io_${p}.yaml`));
  return installCrds(cp, files);
}
