// The local images of a Prompty file (T4.4): a `.png`, `.jpg` or `.jpeg` target relative to the file
// is inlined as a base64 data URL; `http(s):` and `data:` targets are URLs, sent as they are.
// The images the template names itself are read once, asynchronously, when the file is loaded; an
// image named by the data is read when the messages are made (asynchronously by
// createMessagesAsync(), synchronously by createMessages(), which returns its messages at once).
import { bytesToBase64 } from "../../internal/base64.js";
import { readFileBytes, readFileBytesSync, resolveFrom } from "#platform/prompt-files";
import type { ImageResolver } from "./markdown-images.js";
import { PromptTemplateError } from "./prompt-template-error.js";

const URL_PREFIX = /^(?:https?|data):/i;
const IMAGE_TYPES = new Map([
  ["png", "image/png"],
  ["jpg", "image/jpeg"],
  ["jpeg", "image/jpeg"],
]);

/** A target read (its data URL) or failed (the error to throw where it is used). */
type Loaded = { readonly url: string } | { readonly error: PromptTemplateError };

/** A file to read for a target, or the URL it already is. */
type Plan = { readonly url: string } | { readonly path: string; readonly mediaType: string };

/** The images of one Prompty file. */
export class LocalImages {
  readonly #file: string;
  readonly #dir: string;
  /** The template's own images, read at load. Failures are kept and thrown only if the image is used. */
  readonly #loaded = new Map<string, Loaded>();

  constructor(promptyFile: string, promptyDir: string) {
    this.#file = promptyFile;
    this.#dir = promptyDir;
  }

  /** Reads the local images among `targets`, all at once. */
  async preload(targets: readonly string[]): Promise<void> {
    const read = await this.#readAll(targets.filter((target) => !this.#loaded.has(target)));
    for (const [target, loaded] of read) this.#loaded.set(target, loaded);
  }

  /** The resolver of createMessages(): preloaded images, else a synchronous read. */
  readonly resolveNow: ImageResolver = (target) => {
    const known = this.#lookup(target);
    if (known !== undefined) return known;
    const plan = this.#plan(target);
    if ("url" in plan) return plan.url;
    try {
      return dataUrl(plan.mediaType, readFileBytesSync(plan.path));
    } catch (cause) {
      throw this.#readError(plan.path, cause);
    }
  };

  /**
   * A resolver for `targets` (those createMessagesAsync() found in the messages) once the ones that
   * were not preloaded have been read, asynchronously.
   */
  async resolverFor(targets: readonly string[]): Promise<ImageResolver> {
    const read = await this.#readAll(targets.filter((target) => !this.#loaded.has(target)));
    return (target) => {
      const known = this.#lookup(target);
      if (known !== undefined) return known;
      const loaded = read.get(target);
      if (loaded === undefined) return this.resolveNow(target);
      if ("error" in loaded) throw loaded.error;
      return loaded.url;
    };
  }

  #lookup(target: string): string | undefined {
    const loaded = this.#loaded.get(target);
    if (loaded === undefined) return undefined;
    if ("error" in loaded) throw loaded.error;
    return loaded.url;
  }

  async #readAll(targets: readonly string[]): Promise<Map<string, Loaded>> {
    const read = new Map<string, Loaded>();
    await Promise.all(
      targets.map(async (target) => {
        let plan: Plan;
        try {
          plan = this.#plan(target);
        } catch (error) {
          read.set(target, { error: error as PromptTemplateError });
          return;
        }
        if ("url" in plan) return;
        try {
          read.set(target, { url: dataUrl(plan.mediaType, await readFileBytes(plan.path)) });
        } catch (cause) {
          read.set(target, { error: this.#readError(plan.path, cause) });
        }
      }),
    );
    return read;
  }

  #plan(target: string): Plan {
    if (target === "")
      throw new PromptTemplateError("a markdown image has no target: `![alt]()`", { file: this.#file });
    if (URL_PREFIX.test(target)) return { url: target };
    const path = resolveFrom(this.#dir, target);
    const extension = /\.([^./\\]*)$/.exec(target)?.[1] ?? "";
    const mediaType = IMAGE_TYPES.get(extension.toLowerCase());
    if (!mediaType) {
      throw new PromptTemplateError(
        `cannot inline the image ${path}: only .png, .jpg and .jpeg files are (image in ${this.#file})`,
        { file: path },
      );
    }
    return { path, mediaType };
  }

  #readError(path: string, cause: unknown): PromptTemplateError {
    return new PromptTemplateError(
      `cannot read the image ${path} (${(cause as Error).message}; image in ${this.#file})`,
      { file: path, cause },
    );
  }
}

function dataUrl(mediaType: string, bytes: Uint8Array): string {
  return `data:${mediaType};base64,${bytesToBase64(bytes)}`;
}
