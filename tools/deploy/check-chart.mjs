// The Helm chart's CI check: lint, render with each values file, validate every manifest
// against the Kubernetes API schemas, check that values.schema.json (and the chart's own
// checks) refuse the files in k8s/checks/bad-values, and that the Ingress routes exactly the
// PUBLIC_ROUTES table. Usage: node tools/deploy/check-chart.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { publicRoutesFromSource } from './sync-chart-files.mjs';
import { PINS, helm, kubeconform, parseManifests, prometheusOperatorModel, root, standaloneSchemas } from './tools.mjs';

const chart = resolve(root, 'k8s/herald');
const KUBE_VERSION = PINS.kubernetes.replace(/^v/, '');
// Custom resources have no schema in the Kubernetes set; they are checked by their generated validators.
const CUSTOM_KINDS = ['ServiceMonitor', 'PrometheusRule'];
export const VALUES_FILES = {
  default: [],
  'production-like (k8s/examples/values-production.yaml)': ['-f', resolve(root, 'k8s/examples/values-production.yaml')],
  'trial (k8s/checks/values-trial.yaml)': ['-f', resolve(root, 'k8s/checks/values-trial.yaml')],
};

/** `helm template` of the chart; throws with helm's message when rendering fails. */
export function renderChart(args = []) {
  const result = spawnSync(helm(), ['template', 'herald', chart, '--kube-version', KUBE_VERSION, ...args], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(result.stderr.trim() || `helm template exited ${result.status}`);
  return result.stdout;
}

const failures = [];
const check = async (title, fn) => {
  try {
    const detail = await fn();
    console.log(`ok   ${title}${detail ? ` (${detail})` : ''}`);
  } catch (error) {
    failures.push(title);
    console.log(`FAIL ${title}\n     ${String(error.message).split('\n').join('\n     ')}`);
  }
};

async function validateManifests(text) {
  const manifests = parseManifests(text);
  const core = manifests.filter((m) => !CUSTOM_KINDS.includes(m.kind));
  const schemas = standaloneSchemas(core);
  const dir = mkdtempSync(join(tmpdir(), 'herald-chart-'));
  try {
    writeFileSync(join(dir, 'manifests.yaml'), text);
    const result = spawnSync(
      kubeconform(),
      [
        '-strict',
        '-summary',
        '-skip',
        CUSTOM_KINDS.join(','),
        '-schema-location',
        `${schemas}/{{.ResourceKind}}{{.KindSuffix}}.json`,
        join(dir, 'manifests.yaml'),
      ],
      { encoding: 'utf8' },
    );
    // kubeconform reports a kind without a schema as an error, so a missing schema fails too.
    if (result.status !== 0) throw new Error(`${result.stdout}${result.stderr}`.trim());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const manifest of manifests.filter((m) => CUSTOM_KINDS.includes(m.kind))) {
    const Model = await prometheusOperatorModel(manifest.kind);
    new Model(manifest).validate();
  }
  const kinds = [...new Set(manifests.map((m) => m.kind))].sort();
  return `${manifests.length} manifests valid against Kubernetes ${PINS.kubernetes}: ${kinds.join(', ')}`;
}

const main = async () => {
  for (const [name, args] of Object.entries(VALUES_FILES)) {
    await check(`helm lint, ${name} values`, () => {
      execFileSync(helm(), ['lint', chart, '--strict', '--kube-version', KUBE_VERSION, ...args], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    });
    await check(`render + validate, ${name} values`, () => validateManifests(renderChart(args)));
  }

  const badDir = resolve(root, 'k8s/checks/bad-values');
  for (const file of readdirSync(badDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()) {
    await check(`bad values refused: ${file}`, () => {
      const expected = readFileSync(join(badDir, file), 'utf8').match(/^# expect: (.+)$/m)?.[1];
      if (!expected) throw new Error('the file has no "# expect: <part of the error>" line');
      let message = '';
      try {
        renderChart(['-f', join(badDir, file)]);
      } catch (error) {
        message = error.message;
      }
      if (!message) throw new Error('helm rendered the chart; it should have refused these values');
      if (!message.includes(expected))
        throw new Error(`refused, but not for the expected reason "${expected}":\n${message}`);
    });
  }

  await check('Ingress routes equal PUBLIC_ROUTES', () => {
    const ingress = parseManifests(
      renderChart(VALUES_FILES['production-like (k8s/examples/values-production.yaml)']),
    ).find((m) => m.kind === 'Ingress');
    const rendered = ingress.spec.rules[0].http.paths.map((p) => ({
      prefix: p.path,
      service: p.backend.service.name.replace(/^herald-/, ''),
    }));
    const wanted = publicRoutesFromSource();
    if (JSON.stringify(rendered) !== JSON.stringify(wanted)) {
      throw new Error(
        `Ingress ${JSON.stringify(rendered)}\nPUBLIC_ROUTES ${JSON.stringify(wanted)}\nrun: node tools/deploy/sync-chart-files.mjs`,
      );
    }
    return `${wanted.length} prefixes`;
  });

  if (failures.length > 0) {
    console.error(`\nchart check failed: ${failures.join('; ')}`);
    process.exit(1);
  }
  console.log('\nchart check passed');
};

if (import.meta.url === `file://${process.argv[1]}`) await main();
