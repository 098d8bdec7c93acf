// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import { importX } from "eslint-plugin-import-x";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";

/**
 * The SDK's layers, lowest first (docs/architecture.md). A file may import only from its own
 * layer and the ones before it; `server` sits beside the SDK and never reaches the clients.
 */
const layers = ["internal", "models", "errors", "streaming", "client", "helpers", "cli"];
const layerPattern = (name) => (name === "errors" ? ["**/errors.js", "**/errors/**"] : [`**/${name}/**`]);

/** @param {string[]} forbidden */
const restrict = (forbidden) => ({
  "no-restricted-imports": [
    "error",
    {
      paths: [{ name: "ai-inference", message: "Inside src/, import the module itself, not the package." }],
      patterns: [
        ...(forbidden.length === 0
          ? []
          : [
              {
                group: forbidden.flatMap(layerPattern),
                message: "Imports point down the layers only (see eslint.config.js).",
              },
            ]),
        { group: ["ai-inference/*"], message: "Inside src/, import the module itself, not the package." },
      ],
    },
  ],
});

// The CLI is the top: it may use everything, the local server included (it embeds it).
const layerRules = layers.map((layer, i) => ({
  files: layer === "errors" ? ["src/errors.ts"] : [`src/${layer}/**/*.ts`],
  rules: restrict([...layers.slice(i + 1), ...(layer === "cli" ? [] : ["server"])]),
}));

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test/fixtures/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "import-x": importX },
    settings: { "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })] },
    rules: {
      "import-x/no-cycle": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  ...layerRules,
  {
    files: ["src/server/**/*.ts"],
    rules: restrict(["client", "helpers", "cli"]),
  },
  {
    files: ["src/index.ts"],
    rules: restrict(["helpers", "cli", "server"]),
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
