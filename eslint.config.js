// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'test-output/', 'bench/results/', 'console/dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Lambda code logs through the shared Powertools logger only, never console.
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Code bundled into Lambdas uses zod/mini (tree-shakable): one classic `zod` import puts ~375 KB (every
    // locale) back into the bundle. Messages come from shared/domain/validation.ts (problemOf), not zod's locales.
    files: ['functions/**/*.ts', 'shared/**/*.ts', 'events/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['zod', 'zod/v4', 'zod/v3', 'zod/v4/classic'].map((name) => ({
            name,
            message: "Lambda code uses zod/mini (`import * as z from 'zod/mini'`) and parses through #domain/validation.ts; classic zod adds ~375 KB per bundle (issue 22).",
          })),
        },
      ],
    },
  },
);
