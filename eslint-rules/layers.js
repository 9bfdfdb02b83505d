// Enforces ARCHITECTURE.md "Layout": imports point inward, and only src/store may import
// database drivers (only src/bus the NATS client). One rule, no plugin dependency.
import path from 'node:path';

/** Which top-level folders under src/ each folder may import. */
export const ALLOWED = {
  core: [],
  contracts: ['core'],
  quant: ['core', 'contracts'],
  market: ['core', 'contracts', 'quant'],
  agents: ['core', 'contracts', 'quant', 'market'],
  overlay: ['core', 'contracts', 'quant', 'market'],
  execution: ['core', 'contracts', 'quant', 'market'],
  store: ['core', 'contracts'],
  bus: ['core', 'contracts'],
  fund: ['core', 'contracts', 'quant', 'market', 'agents', 'overlay', 'execution', 'store', 'bus'],
  pms: ['core', 'contracts', 'quant', 'market', 'agents', 'overlay', 'execution', 'store', 'bus', 'fund'],
  api: ['core', 'contracts', 'quant', 'market', 'agents', 'overlay', 'execution', 'store', 'bus', 'fund', 'pms'],
  cli: ['core', 'contracts', 'quant', 'market', 'agents', 'overlay', 'execution', 'store', 'bus', 'fund', 'pms', 'api'],
};

/** Packages only one folder may import (drivers stay at the edge). */
const DRIVER_OWNERS = {
  pg: 'store',
  'pg-copy-streams': 'store',
  '@electric-sql/pglite': 'store',
  nats: 'bus',
  '@nats-io/transport-node': 'bus',
  '@nats-io/jetstream': 'bus',
  fastify: 'api',
};

function layerOf(file) {
  const rel = path.relative(process.cwd(), file).split(path.sep);
  if (rel[0] !== 'src' || rel.length < 3) return undefined;
  return rel[1];
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports point inward (ARCHITECTURE.md "Layout")' },
    schema: [],
    messages: {
      outward: "'{{from}}' may not import from '{{to}}' (allowed: {{allowed}}). Move the shared piece inward or pass it in through an interface.",
      driver: "'{{pkg}}' may only be imported inside src/{{owner}}/; reach it through that folder's interface.",
      privatePath: "import '{{spec}}' reaches inside src/{{to}}/; import its public face '{{to}}/index.ts' instead.",
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const from = layerOf(file);
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (!spec.startsWith('.')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        const owner = DRIVER_OWNERS[pkg];
        if (owner && owner !== from) context.report({ node, messageId: 'driver', data: { pkg, owner } });
        return;
      }
      const target = path.resolve(path.dirname(file), spec);
      const to = layerOf(target + (path.extname(target) ? '' : '/x'));
      if (!to || to === from) return;
      const allowed = ALLOWED[from] ?? [];
      if (!allowed.includes(to)) {
        context.report({ node, messageId: 'outward', data: { from, to, allowed: allowed.join(', ') || 'none' } });
        return;
      }
      const rel = path.relative(path.resolve('src', to), target).split(path.sep);
      if (!(rel.length === 1 && (rel[0] === 'index.ts' || rel[0] === 'index.js'))) {
        context.report({ node, messageId: 'privatePath', data: { spec, to } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export const keelPlugin = { rules: { layers: layersRule } };
