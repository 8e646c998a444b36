// ESLint (flat config): typescript-eslint strict, type-checked, plus the module boundaries of the house style
// (../shared/docs/house-style.md): a module reaches another only through its index.ts; core imports no I/O layer.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const boundaryMessage =
  'import another module through its index.ts (house style: one module reaches another only through its public surface)';
/** Inside src/modules/<name>/: another module only through its index.ts (type-only imports too: one surface). */
const betweenModules = { regex: String.raw`^\.\./[^./][^/]*/(?!index\.js$)`, message: boundaryMessage };
/** From src/app, src/http, src/cli, src/db: a module only through its index.ts. */
const intoModules = { regex: String.raw`^(\.\./)+modules/[^/]+/(?!index\.js$)`, message: boundaryMessage };

export default tseslint.config(
  { ignores: ['dist/**', 'var/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // With noUncheckedIndexedAccess, `rows[0]!` after a length check is the idiom; the compiler checks the rest.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers and booleans in messages and SQL fragments are fine; objects are not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true, allowNullish: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Fastify handlers and Kysely builders are async by contract even when a body has nothing to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [betweenModules] }] },
  },
  {
    files: ['src/app/**/*.ts', 'src/http/**/*.ts', 'src/cli/**/*.ts', 'src/db/**/*.ts', 'src/config/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [intoModules] }] },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/modules/**', '**/http/**', '**/db/**', '**/app/**', '**/cli/**'],
              message: 'src/core is pure domain code: it imports no module, HTTP, database or CLI code',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    // The two classic hook rules (not the React Compiler set): hooks called unconditionally, effect dependencies complete.
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      // Tests and benchmarks read results whose shape they assert.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  { files: ['*.js', '*.config.ts', 'bin/**', 'scripts/**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);
