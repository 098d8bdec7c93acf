// PromptTemplate (T1): a Mustache template, from a string or a Prompty file, that turns data into
// chat messages for complete().
import { processEnvironment } from "../../internal/environment.js";
import { isPlainObject, putKey } from "../../models/wire-values.js";
import { parentDirectory, toAbsolutePath } from "#platform/prompt-files";
import { removeCommonIndentation } from "./dedent.js";
import { mergeUnder } from "./inheritance.js";
import { loadPrompty } from "./load-prompty.js";
import { LocalImages } from "./local-images.js";
import { keepImageTargets, literalImageTargets, toMessageContent } from "./markdown-images.js";
import type { ImageResolver } from "./markdown-images.js";
import { compileTemplate, verbatim } from "./mustache-renderer.js";
import type { RenderedText } from "./mustache-renderer.js";
import { toPromptParameters } from "./parameters.js";
import { PROMPTY_APIS, article, describe, isOfType } from "./prompty-schema.js";
import { type MessageSpan, splitAtRoleMarkers } from "./role-markers.js";
import type { PromptEnvironment } from "./substitution.js";
import type { PromptMessage, PromptParameters, Prompty, PromptyApi, PromptyProperty } from "./types.js";

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
  /** The local images of a Prompty file; `undefined` for `fromString`, whose targets are sent as written. */
  images: LocalImages | undefined;
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
  readonly #images: LocalImages | undefined;
  /** `sample` over the inputs' defaults: what fills in for missing data. */
  readonly #fallback: Record<string, unknown>;
  readonly #inputs: [string, PromptyProperty][];

  private constructor(init: PromptTemplateInit) {
    this.api = init.api;
    this.modelName = init.modelName;
    this.parameters = deepFreeze(init.parameters);
    this.prompty = init.prompty === undefined ? undefined : deepFreeze(init.prompty);
    this.#renderer = init.renderer;
    this.#images = init.images;
    this.#inputs = Object.entries(init.prompty?.inputs ?? {});
    const defaults: Record<string, unknown> = {};
    for (const [name, input] of this.#inputs)
      if (input.default !== undefined) putKey(defaults, name, input.default);
    this.#fallback = mergeUnder(init.sample, defaults);
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
      images: undefined,
      sample: {},
    });
  }

  /**
   * Loads a Prompty file: YAML front matter, then the template. A relative path is resolved against
   * the working directory; to resolve it against your own module, pass
   * `new URL("./my.prompty", import.meta.url)`. Needs file access (Node.js, Deno, Bun). Rejects
   * with {@link PromptTemplateError} naming the file, line and key at fault. The local images the
   * template names are read here, asynchronously (a missing one fails only where it is used).
   */
  static async fromPrompty(
    path: string | URL,
    options: PromptTemplateFromPromptyOptions = {},
  ): Promise<PromptTemplate> {
    if (!(typeof path === "string" || path instanceof URL) || path === "") {
      throw new TypeError("path must name a .prompty file (a non-empty string or a file: URL).");
    }
    const env = options.env ?? processEnvironment() ?? {};
    const file = toAbsolutePath(path);
    const { prompty, bodyLine } = await loadPrompty(file, env);
    const deployment = prompty.model.configuration.azure_deployment;
    const images = new LocalImages(file, parentDirectory(file));
    await images.preload(literalImageTargets(prompty.content));
    return new PromptTemplate({
      api: prompty.model.api,
      modelName: typeof deployment === "string" ? deployment : undefined,
      parameters: toPromptParameters(prompty.model.parameters),
      prompty,
      renderer:
        prompty.template.type === "NOOP"
          ? verbatim(prompty.content)
          : compileTemplate(prompty.content, { file, firstLine: bodyLine }),
      images,
      sample: prompty.sample,
    });
  }

  /**
   * Renders the template with `data` (the file's `sample` fills what `data` lacks) and splits it
   * into messages at the role markers the template wrote. Text before the first marker is a system
   * message; markdown images become content items. The result goes to `complete({ messages })`.
   *
   * A Prompty file's declared `inputs` fill in (their `default`, under `sample`) and are checked: a
   * value of another type throws `TypeError` naming the input. A local image the template names was
   * read at load; one whose path comes from `data` is read here, synchronously: use
   * {@link PromptTemplate.createMessagesAsync} to read it without blocking.
   */
  createMessages(data: object = {}): PromptMessage[] {
    const { rendered, spans } = this.#messageSpans(data, "createMessages");
    const resolve = this.#images?.resolveNow ?? keepImageTargets;
    return spans.map(({ role, start, end }) => ({
      role,
      content: toMessageContent(rendered, start, end, resolve),
    }));
  }

  /**
   * {@link PromptTemplate.createMessages}, reading the local images that `data` names
   * asynchronously (all at once): what a server should call when paths come from the data.
   */
  async createMessagesAsync(data: object = {}): Promise<PromptMessage[]> {
    const { rendered, spans } = this.#messageSpans(data, "createMessagesAsync");
    if (this.#images === undefined) {
      return spans.map(({ role, start, end }) => ({
        role,
        content: toMessageContent(rendered, start, end, keepImageTargets),
      }));
    }
    // A first pass only collects the targets, so that they are read together.
    const targets: string[] = [];
    const collect: ImageResolver = (target) => {
      targets.push(target);
      return target;
    };
    for (const { start, end } of spans) toMessageContent(rendered, start, end, collect);
    const resolve = await this.#images.resolverFor(targets);
    return spans.map(({ role, start, end }) => ({
      role,
      content: toMessageContent(rendered, start, end, resolve),
    }));
  }

  #messageSpans(data: object, method: string): { rendered: RenderedText; spans: MessageSpan[] } {
    if (this.api !== "chat") {
      throw new TypeError(
        `${method}() needs a chat template, and this one is for "${this.api}": use render().`,
      );
    }
    const rendered = this.#render(data, method);
    return { rendered, spans: splitAtRoleMarkers(rendered) };
  }

  /** The rendered text, before it is split into messages: the prompt of a non-chat template. */
  render(data: object = {}): string {
    return this.#render(data, "render").text;
  }

  #render(data: object, method: string): RenderedText {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new TypeError("data must be an object whose keys are the template's names.");
    }
    const view = Object.keys(this.#fallback).length === 0 ? data : withSample(data, this.#fallback);
    this.#checkInputs(view, method);
    return this.#renderer(view);
  }

  /** Each declared input that has a value must have its declared type; `null` counts as no value. */
  #checkInputs(view: object, method: string): void {
    for (const [name, input] of this.#inputs) {
      const value = (view as Record<string, unknown>)[name];
      if (value === undefined || value === null || isOfType(value, input.type)) continue;
      throw new TypeError(
        `${method}(): the input "${name}" must be ${article(input.type)}, as ${this.prompty?.file ?? "the file"} ` +
          `declares, not ${describe(value)}.`,
      );
    }
  }
}

/** `data` with the fallback values it lacks (T2.4). Keys `data` has, even `undefined`, win. */
function withSample(data: object, sample: Record<string, unknown>): object {
  if (!isPlainObject(data)) {
    // Keep a class instance's getters: look the sample up behind it.
    const view = Object.create(data) as Record<string, unknown>;
    for (const [key, value] of Object.entries(sample)) if (!(key in data)) putKey(view, key, value);
    return view;
  }
  return mergeUnder(data, sample);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
