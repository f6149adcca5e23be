#!/usr/bin/env node
// Command line of pg-trickle-webhook: `serve` (the admission server) and `check`
// (offline policy check of manifests). Exit codes: 0 ok, 1 denied/failed, 2 usage or input error.
import { Command, CommanderError, Option } from 'commander';
import { addSelfManagedOptions } from '../certs/self-managed-flags.js';
import type { OutputFormat } from './check-output.js';
import type { ServeFlags } from './serve-command.js';

interface CheckFlags {
  policy?: string;
  kubernetesVersion?: string;
  cnpgVersion?: string;
  imageVolume?: string;
  databasesFrom?: string;
  output: OutputFormat;
}

async function checkAction(files: string[], flags: CheckFlags): Promise<number> {
  // Loaded on demand: `check` never pays for the server (and Kubernetes client) modules.
  const [{ runCheck }, { render, renderText }, { InputError }, { PolicyFileError }] = await Promise.all([
    import('./check-command.js'),
    import('./check-output.js'),
    import('./manifest-input.js'),
    import('../config/policy-file.js'),
  ]);
  try {
    const run = await runCheck(files, flags);
    process.stdout.write(render(run, flags.output));
    // With YAML on stdout (for kubectl), the findings still reach the CI log on stderr.
    if (flags.output === 'yaml') process.stderr.write(renderText(run));
    return run.results.some((r) => !r.allowed) ? 1 : 0;
  } catch (err) {
    if (err instanceof InputError || err instanceof PolicyFileError) {
      process.stderr.write(`pg-trickle-webhook check: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`pg-trickle-webhook check: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('pg-trickle-webhook')
    .description('Kubernetes admission webhook that makes CloudNativePG clusters safe for pg_trickle')
    .showHelpAfterError()
    .exitOverride();

  addSelfManagedOptions(program.command('serve'))
    .description('serve the admission webhook over HTTPS (POST /mutate, /validate) and health/metrics over HTTP')
    .option('--policy <file>', 'policy file (YAML); reloaded on change')
    .addOption(new Option('--port <port>', 'HTTPS admission port').default('8443'))
    .addOption(new Option('--metrics-port <port>', 'HTTP port of /healthz, /readyz, /metrics').default('8080'))
    .option('--host <address>', 'address to listen on (default: every IPv6 and IPv4 address)')
    .option('--tls-cert <file>', 'serving certificate (PEM); reloaded on change')
    .option('--tls-key <file>', 'private key of --tls-cert (PEM)')
    .addOption(new Option('--cert-dir <dir>', 'where the development certificate is created when no --tls-cert/--tls-key').default('certs'))
    .addOption(new Option('--body-limit <size>', 'largest accepted request body').default('3mb'))
    .option('--kubeconfig <file>', 'kubeconfig for environment discovery (default: KUBECONFIG or in-cluster)')
    .option('--no-discovery', 'do not query the Kubernetes API; the environment comes from the policy')
    .addOption(new Option('--cnpg-namespace <ns>', 'namespace of the CNPG operator').env('PGT_CNPG_NAMESPACE'))
    .action(async (flags: ServeFlags) => {
      const { serveCommand } = await import('./serve-command.js');
      const code = await serveCommand(flags);
      if (code !== undefined) setExitCode(code);
    });

  program
    .command('check')
    .description('check Cluster and Database manifests offline, as the webhook would admit them')
    .argument('<files...>', 'YAML/JSON files (multi-document) or - for stdin')
    .option('--policy <file>', 'policy file (YAML)')
    .option('--kubernetes-version <X.Y>', 'Kubernetes version of the target cluster (overrides the policy)')
    .option('--cnpg-version <X.Y.Z>', 'CNPG operator version (overrides the policy)')
    .addOption(new Option('--image-volume <state>', 'ImageVolume feature gate (overrides the policy)').choices(['enabled', 'disabled']))
    .option('--databases-from <file>', 'Database manifests that also count toward their Cluster')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json', 'yaml']).default('text'))
    .action(async (files: string[], flags: CheckFlags) => {
      setExitCode(await checkAction(files, flags));
    });

  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram((code) => {
    process.exitCode = code;
  });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is usage (2).
      process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}

await main(process.argv);
