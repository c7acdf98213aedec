// ESLint flat config: eslint:recommended + typescript-eslint recommended (not
// type-aware, to stay fast), plus the project's rules:
// - src/ does not write to the console (pino does), except the CLI and the entry points;
// - src/config.ts is the only reader of process.env (architecture.md);
// - unused variables are errors unless prefixed with `_`; `===` always.
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import tseslint from 'typescript-eslint'

const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'AbortSignal',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextDecoder',
    'TextEncoder',
    'clearInterval',
    'clearTimeout',
    'console',
    'fetch',
    'globalThis',
    'performance',
    'process',
    'queueMicrotask',
    'setImmediate',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
)

const envMessage = 'Read configuration through src/config.ts, the only reader of process.env.'

export default defineConfig([
  globalIgnores(['**/node_modules/', 'data/', 'test-results/', 'docs/', 'coverage/', 'dist/', 'tmp/', '.git/']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: nodeGlobals },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', __filename: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // Application code: no console (use the logger), no environment reads outside config.ts.
  {
    files: ['src/**/*.{ts,mts,cts,js,mjs}'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: envMessage }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:process', importNames: ['env'], message: envMessage },
            { name: 'process', importNames: ['env'], message: envMessage },
          ],
        },
      ],
    },
  },
  {
    files: ['src/cli/**', 'src/main.ts', 'src/worker.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/config.ts'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-imports': 'off' },
  },
])
