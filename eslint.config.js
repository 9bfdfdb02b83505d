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
    files: ['eslint-rules/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly' } },
    rules: { 'no-restricted-syntax': 'off' },
  },
);
