// Module boundaries (docs: ../shared/spec/architecture.md), checked by `npm run boundaries`:
//   - src/platform/** knows no feature: it never imports src/modules/** (nor the app, entry points, CLI);
//   - a module uses another module only through that module's index.ts;
//   - no circular dependencies;
//   - *.routes.ts and *.pages.ts go through services, never straight to *.repository.ts;
//   - production code does not import tests, test helpers or devDependencies.
// Type-only imports count (tsPreCompilationDeps): a type is coupling too.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'platform-not-to-modules',
      comment:
        'src/platform is infrastructure and knows no feature. Invert the dependency (a module registers with the platform).',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'platform-not-to-app',
      comment: 'src/platform must not import the composition root, the entry points or the CLI.',
      severity: 'error',
      from: { path: '^src/platform/' },
      to: { path: ['^src/(app|main|worker)\\.ts$', '^src/cli/'] },
    },
    {
      name: 'modules-only-through-index',
      comment:
        'A module may use another module only through its public surface, src/modules/<name>/index.ts. Export what you need from there.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'no-circular',
      comment: 'This dependency is part of a cycle. Break it: move the shared part down, or invert the dependency.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'routes-pages-not-to-repository',
      comment: 'Routes and pages call services (one read path, one set of permissions), never repositories.',
      severity: 'error',
      from: { path: '\\.(routes|pages)\\.ts$' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'not-to-test',
      comment: 'Production code must not depend on tests or test helpers (test/, e2e/, *.test.ts).',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^(test|e2e|bench)/', '\\.test\\.ts$'] },
    },
    {
      name: 'not-to-dev-dep',
      comment:
        "Production code imports a devDependency, which `npm ci --omit=dev` will not install. Move it to 'dependencies' (type-only imports are fine).",
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: ['node_modules/@types/'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'This import cannot be resolved to a file on disk (typo, or a package missing from package.json).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'This package is not declared in package.json; add it to dependencies.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^node_modules/', '^data/', '^test-results/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
}
