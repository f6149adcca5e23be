// Which Kubernetes credentials discovery uses: an explicit kubeconfig file, else
// $KUBECONFIG, else the in-cluster service account. ~/.kube/config is deliberately not
// used: a local `npm start` must not judge manifests by whatever cluster a developer
// happens to be logged in to (SPEC §5: outside a cluster the environment comes from policy/flags).
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export type KubeConfigSource = 'file' | 'KUBECONFIG' | 'in-cluster';

/** Where credentials would come from, or undefined when there are none. */
export function kubeConfigSource(path?: string, env: NodeJS.ProcessEnv = process.env): KubeConfigSource | undefined {
  if (path) return 'file';
  if (env.KUBECONFIG) return 'KUBECONFIG';
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(SA_TOKEN)) return 'in-cluster';
  return undefined;
}

/** Loads the credentials; throws a clear error when there are none or the file is bad. */
export function loadKubeConfig(path?: string, env: NodeJS.ProcessEnv = process.env): KubeConfig {
  const source = kubeConfigSource(path, env);
  const kc = new KubeConfig();
  try {
    if (source === 'file') kc.loadFromFile(path!);
    else if (source === 'KUBECONFIG') kc.loadFromDefault();
    else if (source === 'in-cluster') kc.loadFromCluster();
    else throw new Error('no kubeconfig given, KUBECONFIG unset and not running in a cluster');
  } catch (err) {
    throw new Error(`cannot load Kubernetes credentials (${source ?? 'none'}): ${(err as Error).message}`);
  }
  if (!kc.getCurrentCluster()) throw new Error(`cannot load Kubernetes credentials (${source}): no current cluster in the kubeconfig`);
  return kc;
}
