import eslint from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [
      "node_modules/",
      "coverage/",
      "policies/node_modules/",
      ".package/",
      ".fleet/",
      ".package-consumer-*/",
      "**/*.js",
      "**/*.cjs",
      "**/*.mjs",
    ],
  },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    // Type-aware rules: a promise nobody awaits loses its error (and, in a provider, the engine's wait for it).
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      eqeqeq: "error",
      // Size and branching stay readable: a file past 400 lines or a function past 15 paths is doing several jobs.
      // No exception today; one would be named here, with why.
      "max-lines": ["error", { max: 400 }],
      complexity: ["error", 15],
    },
  },
);
