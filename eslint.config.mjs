// ESLint (flat config): the recommended JavaScript and typescript-eslint rules over the TypeScript and the scripts.
// Formatting is Prettier's (.prettierrc.json) and clang-format's (.clang-format), not ESLint's. `npm run lint`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Built trees, and examples/tfjs/: tensorflow/tfjs-examples programs kept as upstream wrote them.
  {
    ignores: [
      'dist/',
      'build*/',
      'prebuilds/',
      'docs/api/',
      'coverage/',
      '.tmp/',
      '.gpu/',
      'node_modules/',
      'examples/tfjs/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore marks a parameter or element kept for its position (overrides, destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          caughtErrors: 'none',
          ignoreRestSiblings: true,
        },
      ],
      // An async generator cannot be an arrow function: `const self = this` is how it reaches its dataset.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
    },
  },
  {
    // CUDA residency: `Tensor.raw` is the storage array as kernels see it, possibly older than the device copy.
    // Only the code that hands arrays to kernels reads it; everything else reads `Tensor.data`, which syncs.
    files: ['lib/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
    ignores: [
      'lib/backend/**',
      'lib/tensor/**',
      'lib/autograd/**',
      'lib/ops/**',
      'lib/optimizers/**',
      'lib/models/step.ts',
      'lib/models/step-feeds.ts',
      'lib/models/plan/**',
      'lib/models/dense-forward.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='raw']",
          message:
            'Tensor.raw may be stale on the cuda backend: read tensor.data (always current) outside the kernel layers.',
        },
      ],
    },
  },
  {
    // CommonJS entry points (the bin and the install scripts run before anything is built).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
