// .dependency-cruiser.cjs — architecture rules of lake, run by `npm test` (scripts/test.mjs) and `npm run check:arch`.
// dependency-cruiser 17.x (18 needs Node 22). Paths are relative to the repository root.
// Plan: docs/architecture-plan.md §6. Every rule is `error`: a violation fails `npm test`.
const CORE = 'packages/core/src/'
/** Folders (or root files) of @lake/core, bottom layer first: a module imports its own layer (acyclic) and lower ones. */
const LAYERS = [
  ['errors.ts', 'parquet-values.ts', 'arrow-values.ts'], // 0 pure (parquet-values: the value helpers of @lake/parquet, no codec; arrow-values: its Arrow helpers, loaded on demand)
  ['actions', 'partition', 'schema'], // 1 pure
  ['expr', 'protocol', 'log', 'dv', 'replay'], // 2 pure
  ['features', 'rows', 'columns', 'checkpoint', 'transaction'], // 3 pure (columns: issue 14)
  ['engine.ts'], // 4 Engine: store, codec, clock
  ['read'], // 5 I/O reads
  ['snapshot'], // 6
  ['scan', 'files', 'commit', 'rewrite'], // 7 scans, file writing, commit loop + Transaction, DML rewrites (issue 12)
  ['operations'], // 8 one folder per operation: plan.ts (pure) + execute.ts
  ['table'], // 9 DeltaTable
  ['index.ts', 'internal.ts', 'encode.ts'], // 10 entries (encode.ts: @lake/core/encode, the encoder workers' entry)
]
const PURE_LAYERS = 4
const re = (folders) => `^${CORE}(${folders.map((f) => f.replace('.', '\\.')).join('|')})($|/)`
const upward = LAYERS.slice(0, -1).map((folders, i) => ({
  name: `core-layer-${i}-not-upward`,
  severity: 'error',
  comment: `${folders.join(', ')} (layer ${i}) may import only layers 0..${i} of @lake/core`,
  from: { path: re(folders) },
  to: { path: re(LAYERS.slice(i + 1).flat()) },
}))
const PACKAGES = {
  storage: [],
  'storage-s3': ['storage'],
  parquet: ['storage'],
  core: ['storage', 'parquet'],
  ingest: ['storage', 'parquet', 'core'],
  ui: ['storage', 'core'],
  cli: ['storage', 'storage-s3', 'parquet', 'core', 'ingest', 'ui'],
}
const ALL = Object.keys(PACKAGES)
const pkg = (names) => `^(packages/(${names.join('|')})/|(node_modules/)?@lake/(${names.join('|')})(/|$))`
const packageRules = ALL.map((name) => ({
  name: `package-${name}-downward-only`,
  severity: 'error',
  comment: `@lake/${name} may import ${PACKAGES[name].map((n) => '@lake/' + n).join(', ') || 'no other @lake package'}`,
  from: { path: `^packages/${name}/src/` },
  to: { path: pkg(ALL.filter((n) => n !== name && !PACKAGES[name].includes(n))) },
}))
module.exports = {
  forbidden: [
    ...packageRules,
    ...upward,
    {
      name: 'core-module-in-a-layer',
      severity: 'error',
      comment: 'every module of @lake/core lives in a folder (or root file) of LAYERS, so a new folder cannot escape the layering',
      from: { path: `^${CORE}`, pathNot: re(LAYERS.flat()) },
      to: {},
    },
    { name: 'core-no-folder-cycles', severity: 'error', scope: 'folder', from: { path: `^${CORE}` }, to: { circular: true } },
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'type-only imports included',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true },
    },
    {
      name: 'core-pure-no-io-builtins',
      severity: 'error',
      from: { path: re(LAYERS.slice(0, PURE_LAYERS).flat()) },
      to: { path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|worker_threads|dgram)$|^(packages/storage-s3/|@aws-sdk/)' },
    },
    {
      name: 'core-operation-plans-pure',
      severity: 'error',
      from: { path: `^${CORE}operations/[^/]+/plan\\.ts$` },
      to: { path: `^${CORE}(engine\\.ts|read|snapshot/(?!snapshot\\.ts)|scan|files|commit|operations/[^/]+/(?!plan))` },
    },
    {
      name: 'core-operations-independent',
      severity: 'error',
      from: { path: `^${CORE}operations/([^/]+)/` },
      to: { path: `^${CORE}operations/`, pathNot: `^${CORE}operations/($1|common)/|^${CORE}operations/[^/]+\\.ts$` },
    },
    {
      name: 'core-parquet-through-engine',
      severity: 'error',
      comment: 'only engine.ts reaches the codec implementation, and parquet-values.ts / arrow-values.ts name the value helpers the core uses; others import @lake/parquet types or call engine.codec',
      from: { path: `^${CORE}`, pathNot: `^${CORE}(engine|parquet-values|arrow-values)\\.ts$` },
      to: { path: pkg(['parquet']), dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|test|node_modules)/' },
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
}
