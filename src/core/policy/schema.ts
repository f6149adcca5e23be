// The policy file (SPEC §7): every key optional, defaults filled in, unknown keys refused.
import { z } from 'zod';
import { checkParameter } from '../catalog/guc-check.js';
import { matchesAny } from '../image/glob.js';
import { parseImageReference } from '../image/reference.js';

const severity = z.enum(['deny', 'warn', 'off']);
const ruleId = z.string().regex(/^PGT0(0[1-9]|1[0-9]|2[0-3])$/, 'a rule id PGT001..PGT023');

export const policySchema = z
  .object({
    extension: z
      .object({
        image: z.string().min(1).default('ghcr.io/trickle-labs/pg_trickle-ext:0.67.0'),
        allowedImages: z
          .array(z.string().min(1))
          .default(['ghcr.io/trickle-labs/pg_trickle-ext:*', 'ghcr.io/trickle-labs/pg_trickle-ext@sha256:*']),
        requireDigest: z.boolean().default(false),
        customImages: z.array(z.string().min(1)).default(['ghcr.io/trickle-labs/pg_trickle:*']),
      })
      .strict()
      .prefault({}),
    injection: z
      .object({
        mode: z.enum(['label', 'always']).default('label'),
        defaultParameters: z.record(z.string().regex(/^pg_trickle\./, 'a pg_trickle.* parameter name'), z.string()).default({}),
      })
      .strict()
      .prefault({}),
    budget: z
      .object({
        reservedWorkers: z.number().int().min(0).max(1000).default(2),
        parallelQueryReserve: z.number().int().min(0).max(1000).default(8),
      })
      .strict()
      .prefault({}),
    requirements: z
      .object({
        minPostgresMajor: z.number().int().min(1).default(18),
        minKubernetes: z.string().regex(/^\d+\.\d+$/, 'a version "major.minor", e.g. "1.33"').default('1.33'),
        minCnpg: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version "major.minor.patch", e.g. "1.28.0"').default('1.28.0'),
      })
      .strict()
      .prefault({}),
    environment: z
      .object({
        kubernetesVersion: z.union([z.literal('auto'), z.string().regex(/^\d+\.\d+$/, '"auto" or "major.minor"')]).default('auto'),
        cnpgVersion: z.union([z.literal('auto'), z.string().regex(/^\d+\.\d+\.\d+$/, '"auto" or "major.minor.patch"')]).default('auto'),
        imageVolume: z.enum(['auto', 'enabled', 'disabled']).default('auto'),
        onUnknown: z.enum(['warn', 'deny']).default('warn'),
      })
      .strict()
      .prefault({}),
    rules: z.partialRecord(ruleId, severity).default({}),
    exemptNamespaces: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((policy, ctx) => {
    // What M01/M05 inject must pass the engine's own rules, or every injected Cluster is refused.
    const { image, allowedImages } = policy.extension;
    if (parseImageReference(image) === undefined) {
      ctx.addIssue({ code: 'custom', path: ['extension', 'image'], message: `"${image}" is not a valid image reference (<registry>/<repository>:<tag> or @sha256:<digest>)` });
    } else if (!matchesAny(allowedImages, image)) {
      ctx.addIssue({
        code: 'custom',
        path: ['extension', 'image'],
        message: `"${image}" is not matched by extension.allowedImages, so every Cluster it is injected into would be refused (PGT013); add a pattern for it`,
      });
    }
    for (const [name, value] of Object.entries(policy.injection.defaultParameters)) {
      const verdict = checkParameter(name, value);
      if (!verdict.ok) ctx.addIssue({ code: 'custom', path: ['injection', 'defaultParameters', name], message: verdict.message });
    }
  });

export type Policy = z.infer<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;

/** The policy with every default, as used when no policy file is given. */
export function defaultPolicy(): Policy {
  return policySchema.parse({});
}
