// The environment each container of the rendered chart gets, resolved as the kubelet would, as JSON
// (for e2e/src/helm-chart-env.e2e-spec.ts). Usage: node tools/deploy/chart-env.mjs [helm template args]
import { renderChart } from './check-chart.mjs';
import { parseManifests } from './tools.mjs';

export function containerEnvironments(manifests) {
  const configMaps = new Map(
    manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata.name, m.data ?? {}]),
  );
  const secrets = new Map(
    manifests
      .filter((m) => m.kind === 'Secret')
      .map((m) => [
        m.metadata.name,
        {
          ...m.stringData,
          ...Object.fromEntries(
            Object.entries(m.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
          ),
        },
      ]),
  );
  const lookup = (store, kind, ref) => {
    const value = store.get(ref.name)?.[ref.key];
    if (value === undefined) throw new Error(`${kind} ${ref.name} has no key ${ref.key} in the rendered chart`);
    return value;
  };
  const result = {};
  for (const workload of manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job')) {
    const [container] = workload.spec.template.spec.containers;
    const env = {};
    for (const source of container.envFrom ?? []) {
      const data = configMaps.get(source.configMapRef.name);
      if (!data) throw new Error(`ConfigMap ${source.configMapRef.name} is not in the rendered chart`);
      Object.assign(env, data);
    }
    for (const entry of container.env ?? []) {
      if (entry.value !== undefined) env[entry.name] = entry.value;
      else if (entry.valueFrom?.secretKeyRef) env[entry.name] = lookup(secrets, 'Secret', entry.valueFrom.secretKeyRef);
      else if (entry.valueFrom?.configMapKeyRef)
        env[entry.name] = lookup(configMaps, 'ConfigMap', entry.valueFrom.configMapKeyRef);
      else throw new Error(`${workload.metadata.name}: env ${entry.name} has a source this script does not resolve`);
    }
    result[workload.metadata.name] = {
      component: workload.metadata.labels['app.kubernetes.io/component'],
      command: container.command ?? null,
      env,
    };
  }
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(
    `${JSON.stringify(containerEnvironments(parseManifests(renderChart(process.argv.slice(2)))), null, 2)}\n`,
  );
}
