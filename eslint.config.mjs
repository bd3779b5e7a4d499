// Lint: typescript-eslint's recommended rules plus the import boundaries of DESIGN.md's map.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const deepLibImport = { group: ['@ringflow/*/*'], message: 'Import a lib only through its root (@ringflow/<lib>).' };
const appImport = { group: ['**/apps/**', 'apps/**'], message: 'Libs never import apps.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-restricted-imports': ['error', { patterns: [deepLibImport] }],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [deepLibImport, appImport] }] },
  },
  {
    files: ['libs/flow/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@ringflow/*'], message: 'libs/flow imports no other lib of ours.' }, appImport] }],
    },
  },
  {
    files: ['apps/telephony-sim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@ringflow/*'], message: "telephony-sim knows only Twilio's public contract." }] }],
    },
  },
);
