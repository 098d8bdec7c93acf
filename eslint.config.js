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
/** The package's private imports of the helpers (a `#` would start a comment in a `group` pattern). */
const helpersImport = {
  regex: "^#helpers/",
  message: "Helpers are loaded lazily with import(), never statically.",
};

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
        ...(forbidden.includes("helpers") ? [helpersImport] : []),
      ],
    },
  ],
});

// The CLI is the top: it may use everything, the local server included (it embeds it).
const layerRules = layers.map((layer, i) => ({
  files: layer === "errors" ? ["src/errors.ts"] : [`src/${layer}/**/*.ts`],
  rules: restrict(
    [...layers.slice(i + 1), ...(layer === "cli" ? [] : ["server"])].filter(
      (l) => !(layer === "client" && l === "helpers"),
    ),
  ),
}));

/**
 * The client offers parse() and runTools() as thin methods: it may name the helpers' types (erased
 * from the built code), and loads their code only with a lazy import() of "#helpers/*" (which
 * no-restricted-imports does not see), never with a static import.
 */
const clientHelperRule = {
  files: ["src/client/**/*.ts"],
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            group: ["**/helpers/**"],
            allowTypeImports: true,
            message:
              'The client may import helper types only; load helper code with a lazy import("#helpers/...").',
          },
          helpersImport,
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test/fixtures/**", "bench/results/**", ".cache/**"] },
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
  clientHelperRule,
  {
    files: ["src/server/**/*.ts"],
    rules: restrict(["client", "helpers", "cli"]),
  },
  {
    files: ["src/index.ts"],
    rules: restrict(["helpers", "cli", "server"]),
  },
  {
    // A model class and an interface of the same name: the interface declares the typed view's
    // accessor pairs whose setters take more than their getters return (a class cannot declare such
    // a pair without implementing it), and defineModel installs them on the prototype.
    files: ["src/models/**/*.ts"],
    rules: { "@typescript-eslint/no-unsafe-declaration-merging": "off" },
  },
  {
    // Static `#defined` and `#hooks` fields that nothing reads: they run defineModel and
    // installCoreHooks when the class is evaluated, marked pure so that a bundler drops an unused
    // class (see defineModel).
    files: ["src/models/**/*.ts", "src/client/embeddings-client.ts", "src/client/image-embeddings-client.ts"],
    rules: { "no-unused-private-class-members": "off" },
  },
  {
    // Verbatim copies of documentation examples, type-checked (test/types/docs-examples.test.ts).
    files: ["test/types/docs/**/*.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off", "no-unused-private-class-members": "off" },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
