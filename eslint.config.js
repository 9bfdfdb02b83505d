import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { keelPlugin } from './eslint-rules/layers.js';

export default tseslint.config(
  { ignores: ['node_modules', 'web/dist', 'web/node_modules', '.keel', 'coverage', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { keel: keelPlugin },
    rules: {
      'keel/layers': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports (STYLE.md).' },
      ],
    },
  },
  {
    // The pure core never reads the wall clock or global randomness (ARCHITECTURE.md principle 3).
    files: ['src/quant/**/*.ts', 'src/agents/**/*.ts', 'src/overlay/**/*.ts', 'src/contracts/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the injected Clock.' },
        { object: 'Math', property: 'random', message: 'Use the seeded Rng passed in.' },
      ],
    },
  },
  {
    // One composition root (ARCHITECTURE.md "The kernel"): only src/fund/kernel builds brokers, buses
    // and market sources (through the market's one factory, which only the kernel calls). Tests may
    // build their own.
    files: ['src/**/*.ts'],
    ignores: ['src/fund/kernel/**', 'src/market/sources/market-data-sources.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports (STYLE.md).' },
        {
          selector: 'NewExpression[callee.name=/^(PaperBroker|AlpacaBroker|InProcessBus|NatsBus|DataRouter|AlpacaMarketSource|PolygonMarketSource|FredMacroSource|FileMarketSource|SyntheticMarketSource)$/]',
          message: 'Brokers, buses and market sources are built by the kernel (src/fund/kernel) only: ask the kernel for one.',
        },
        {
          selector: "CallExpression[callee.object.name='NatsBus'][callee.property.name='connect']",
          message: 'The bus is built by the kernel (src/fund/kernel) only: kernel.bus().',
        },
        {
          selector: "CallExpression[callee.name='buildMarketDataSources']",
          message: 'The market data router is built by the kernel (src/fund/kernel) only: kernel.marketData(config.data).',
        },
      ],
    },
  },
  {
    files: ['eslint-rules/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly' } },
    rules: { 'no-restricted-syntax': 'off' },
  },
);
