// PromptTemplate (T1): a Mustache template, from a string or a Prompty file, that turns data into
// chat messages for complete().
import { isPlainObject, putKey } from "../../models/wire-values.js";
import { parentDirectory, toAbsolutePath } from "#platform/prompt-files";
import { removeCommonIndentation } from "./dedent.js";
import { mergeUnder } from "./inheritance.js";
import { loadPrompty } from "./load-prompty.js";
import { inlineLocalImages, keepImageTargets, toMessageContent } from "./markdown-images.js";
import type { ImageResolver } from "./markdown-images.js";
import { compileTemplate } from "./mustache-renderer.js";
import type { RenderedText } from "./mustache-renderer.js";
import { toPromptParameters } from "./parameters.js";
import { PROMPTY_APIS } from "./prompty-schema.js";
import { splitAtRoleMarkers } from "./role-markers.js";
import type { PromptEnvironment } from "./substitution.js";
import type { PromptMessage, PromptParameters, Prompty, PromptyApi } from "./types.js";

/** Options of {@link PromptTemplate.fromString}. */
export interface PromptTemplateFromStringOptions {
  /**
   * The API the template is for. Only `chat` templates make messages; the others can only be
   * {@link PromptTemplate.render | rendered}.
   * @default "chat"
   */
  api?: PromptyApi;
  /** The model (or deployment) to name in the request, as {@link PromptTemplate.modelName}. */
  modelName?: string;
}

/** Options of {@link PromptTemplate.fromPrompty}. */
export interface PromptTemplateFromPromptyOptions {
  /**
   * The environment variables `${env:NAME}` values read.
   * @default process.env where it exists, else {}
   */
  env?: PromptEnvironment;
}

interface PromptTemplateInit {
  api: PromptyApi;
  modelName: string | undefined;
  parameters: PromptParameters;
  prompty: Prompty | undefined;
  renderer: (view: object) => RenderedText;
  resolveImage: ImageResolver;
  sample: Record<string, unknown>;
}

/**
 * A chat prompt template: Mustache text with role markers (`system:`, `user:`...), from a string or
 * a Prompty file. Values from the data are HTML-escaped in `{{name}}` (not in `{{{name}}}`) and can
 * never start a new message.
 *
 * @example
 * ```ts
 * const template = await PromptTemplate.fromPrompty("prompts/hotel.prompty");
 * const result = await client.complete({
 *   messages: template.createMessages({ input: "When is breakfast?" }),
 *   model: template.modelName,
 *   ...template.parameters,
 * });
 * ```
 */
export class PromptTemplate {
  /** The API the template is for (`model.api` of a Prompty file). */
  readonly api: PromptyApi;
  /** The model to request: `model.configuration.azure_deployment` of a Prompty file, or `fromString`'s `modelName`. */
  readonly modelName: string | undefined;
  /** The file's `model.parameters` as request options, to spread into complete() (T5). `{}` for `fromString`. */
  readonly parameters: Readonly<PromptParameters>;
  /** The loaded Prompty file; `undefined` for `fromString`. */
  readonly prompty: Readonly<Prompty> | undefined;
  readonly #renderer: (view: object) => RenderedText;
  readonly #resolveImage: ImageResolver;
  readonly #sample: Record<string, unknown>;

  private constructor(init: PromptTemplateInit) {
    this.api = init.api;
    this.modelName = init.modelName;
    this.parameters = deepFreeze(init.parameters);
    this.prompty = init.prompty === undefined ? undefined : deepFreeze(init.prompty);
    this.#renderer = init.renderer;
    this.#resolveImage = init.resolveImage;
    this.#sample = init.sample;
  }

  /**
   * A template from text. Leading blank lines and the indentation all lines share are removed, so
   * an indented template literal works. Works in every runtime. Throws {@link PromptTemplateError}
   * on a Mustache syntax error, naming the line.
   *
   * @example
   * ```ts
   * const template = PromptTemplate.fromString(`
   *   system:
   *   You answer questions about {{topic}}.
   *
   *   user:
   *   {{question}}
   * `);
   * template.createMessages({ topic: "hotels", question: "Is there parking?" });
   * ```
   */
  static fromString(template: string, options: PromptTemplateFromStringOptions = {}): PromptTemplate {
    if (typeof template !== "string") throw new TypeError("template must be a string.");
    const { api = "chat", modelName } = options;
    if (!PROMPTY_APIS.includes(api)) throw new RangeError(`api must be one of ${PROMPTY_APIS.join(", ")}.`);
    if (modelName !== undefined && typeof modelName !== "string") {
      throw new TypeError("modelName must be a string.");
    }
    const { text, droppedLines } = removeCommonIndentation(template);
    return new PromptTemplate({
      api,
      modelName,
      parameters: {},
      prompty: undefined,
      renderer: compileTemplate(text, { firstLine: 1 + droppedLines }),
      resolveImage: keepImageTargets,
      sample: {},
    });
  }

  /**
   * Loads a Prompty file: YAML front matter, then the template. A relative path is resolved against
   * the working directory; to resolve it against your own module, pass
   * `new URL("./my.prompty", import.meta.url)`. Needs file access (Node.js, Deno, Bun). Rejects
   * with {@link PromptTemplateError} naming the file, line and key at fault.
   */
  static async fromPrompty(
    path: string | URL,
    options: PromptTemplateFromPromptyOptions = {},
  ): Promise<PromptTemplate> {
    if (!(typeof path === "string" || path instanceof URL) || path === "") {
      throw new TypeError("path must name a .prompty file (a non-empty string or a file: URL).");
    }
    const env = options.env ?? defaultEnvironment();
    const file = toAbsolutePath(path);
    const { prompty, bodyLine } = await loadPrompty(file, env);
    const deployment = prompty.model.configuration.azure_deployment;
    return new PromptTemplate({
      api: prompty.model.api,
      modelName: typeof deployment === "string" ? deployment : undefined,
      parameters: toPromptParameters(prompty.model.parameters),
      prompty,
      renderer: compileTemplate(prompty.content, { file, firstLine: bodyLine }),
      resolveImage: inlineLocalImages(file, parentDirectory(file)),
      sample: prompty.sample,
    });
  }

  /**
   * Renders the template with `data` (the file's `sample` fills what `data` lacks) and splits it
   * into messages at the role markers the template wrote. Text before the first marker is a system
   * message; markdown images become content items. The result goes to `complete({ messages })`.
   */
  createMessages(data: object = {}): PromptMessage[] {
    if (this.api !== "chat") {
      throw new TypeError(
        `createMessages() needs a chat template, and this one is for "${this.api}": use render().`,
      );
    }
    const rendered = this.#render(data);
    return splitAtRoleMarkers(rendered).map(({ role, start, end }) => ({
      role,
      content: toMessageContent(rendered, start, end, this.#resolveImage),
    }));
  }

  /** The rendered text, before it is split into messages: the prompt of a non-chat template. */
  render(data: object = {}): string {
    return this.#render(data).text;
  }

  #render(data: object): RenderedText {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new TypeError("data must be an object whose keys are the template's names.");
    }
    const view = Object.keys(this.#sample).length === 0 ? data : withSample(data, this.#sample);
    return this.#renderer(view);
  }
}

/** `data` with the sample's inputs it lacks (T2.4). Keys `data` has, even `undefined`, win. */
function withSample(data: object, sample: Record<string, unknown>): object {
  if (!isPlainObject(data)) {
    // Keep a class instance's getters: look the sample up behind it.
    const view = Object.create(data) as Record<string, unknown>;
    for (const [key, value] of Object.entries(sample)) if (!(key in data)) putKey(view, key, value);
    return view;
  }
  return mergeUnder(data, sample);
}

function defaultEnvironment(): PromptEnvironment {
  return (globalThis as { process?: { env?: PromptEnvironment } }).process?.env ?? {};
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
