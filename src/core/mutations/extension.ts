// M01 (add pg_trickle's ImageVolume extension entry) and M06 (record the injected image).
import { ANNOTATION_INJECTED_IMAGE, EXTENSION_ENTRY_NAME } from '../cluster/names.js';
import { imageVolumeNotRuledOut } from '../cluster/environment-support.js';
import { usesCustomImage } from '../cluster/intent.js';
import { readCluster } from '../cluster/read.js';
import type { KubeObject } from '../types.js';
import { recordAt } from '../util/json.js';
import { childList, childRecord, postgresqlOf, writablePath } from './containers.js';
import type { Mutator } from './mutator.js';

export const addExtensionEntry: Mutator = {
  id: 'M01',
  apply(copy, ctx) {
    const view = readCluster(copy as KubeObject);
    if (view.extensionEntry !== undefined || usesCustomImage(view, ctx.policy)) return false;
    if (!imageVolumeNotRuledOut(ctx.environment, ctx.policy)) return false;
    const current = recordAt(recordAt(copy, 'spec'), 'postgresql')?.['extensions'];
    if (!writablePath(copy, ['spec', 'postgresql']) || !(current === undefined || Array.isArray(current))) return false;
    const postgresql = postgresqlOf(copy);
    const list = postgresql && childList(postgresql, 'extensions');
    if (!list) return false;
    list.push({ name: EXTENSION_ENTRY_NAME, image: { reference: ctx.policy.extension.image } });
    return true;
  },
};

export const annotateInjectedImage: Mutator = {
  id: 'M06',
  apply(copy, ctx) {
    if (!ctx.applied.has('M01') || !writablePath(copy, ['metadata', 'annotations'])) return false;
    const metadata = childRecord(copy, 'metadata');
    const annotations = metadata && childRecord(metadata, 'annotations');
    if (!annotations || annotations[ANNOTATION_INJECTED_IMAGE] === ctx.policy.extension.image) return false;
    annotations[ANNOTATION_INJECTED_IMAGE] = ctx.policy.extension.image;
    return true;
  },
};
