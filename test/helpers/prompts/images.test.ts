import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PromptTemplate } from "../../../src/helpers/prompts/prompt-template.js";
import { PromptTemplateError } from "../../../src/helpers/prompts/prompt-template-error.js";
import { tempFiles } from "../../support/temp-files.js";

const imagesDir = fileURLToPath(new URL("../../fixtures/prompty/images/", import.meta.url));
const base64Of = async (name: string) => (await readFile(join(imagesDir, name))).toString("base64");

/** A Prompty file in a temporary folder beside copies of the fixture images. */
async function promptyWithImages(t: Parameters<typeof tempFiles>[0], body: string): Promise<string> {
  const files: Record<string, Uint8Array | string> = { "p.prompty": `---\nname: images\n---\n${body}` };
  for (const name of ["pixel.png", "photo.JPG", "dataset.png"])
    files[`pics/${name}`] = await readFile(join(imagesDir, name));
  return join(await tempFiles(t, files), "p.prompty");
}

test("T4.4 local png and jpg files are inlined, http and data: targets kept, text pieces around them", async () => {
  const template = await PromptTemplate.fromPrompty(join(imagesDir, "vision.prompty"));
  assert.deepEqual(template.createMessages(), [
    { role: "system", content: "You describe pictures." },
    {
      role: "user",
      content: [
        { type: "text", text: "What is in these pictures?" },
        { type: "image_url", image_url: { url: `data:image/png;base64,${await base64Of("pixel.png")}` } },
        { type: "text", text: "and" },
        { type: "image_url", image_url: { url: `data:image/jpeg;base64,${await base64Of("photo.JPG")}` } },
        { type: "text", text: "Also this one:" },
        { type: "image_url", image_url: { url: "https://example.com/cat.jpeg" } },
        { type: "text", text: "and" },
        { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
      ],
    },
  ]);
});

test("T6 image extensions are case-insensitive (.JPG, .Png, .JPEG)", async (t) => {
  const dir = await tempFiles(t, {
    "p.prompty": "---\nname: x\n---\nuser:\n![a](a.Png)![b](b.JPEG)",
    "a.Png": new Uint8Array([1, 2, 3]),
    "b.JPEG": new Uint8Array([4, 5, 6]),
  });
  const [message] = (await PromptTemplate.fromPrompty(join(dir, "p.prompty"))).createMessages();
  assert.deepEqual(message.content, [
    { type: "image_url", image_url: { url: "data:image/png;base64,AQID" } },
    { type: "image_url", image_url: { url: "data:image/jpeg;base64,BAUG" } },
  ]);
});

test("T6 a file named dataset.png is a file, not a data URL", async (t) => {
  const file = await promptyWithImages(t, "user:\n![chart](pics/dataset.png)");
  const [message] = (await PromptTemplate.fromPrompty(file)).createMessages();
  assert.deepEqual(message.content, [
    { type: "image_url", image_url: { url: `data:image/png;base64,${await base64Of("dataset.png")}` } },
  ]);
});

test("T4.4 another extension is an error naming the file", async (t) => {
  const dir = await tempFiles(t, {
    "p.prompty": "---\nname: x\n---\nuser:\nsee ![anim](anim.gif)",
    "anim.gif": "GIF89a",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "p.prompty"));
  assert.throws(
    () => template.createMessages(),
    (error: unknown) =>
      error instanceof PromptTemplateError &&
      error.file === join(dir, "anim.gif") &&
      /only \.png, \.jpg and \.jpeg/.test(error.message) &&
      error.message.includes(join(dir, "p.prompty")),
  );
});

test("T4.4 a missing image file is an error naming it", async (t) => {
  const dir = await tempFiles(t, { "p.prompty": "---\nname: x\n---\nuser:\n![gone](gone.png)" });
  const template = await PromptTemplate.fromPrompty(join(dir, "p.prompty"));
  assert.throws(
    () => template.createMessages(),
    (error: unknown) =>
      error instanceof PromptTemplateError &&
      error.file === join(dir, "gone.png") &&
      /cannot read/.test(error.message),
  );
});

test("T4.4 the image target may come from the data; a title after it is ignored", async (t) => {
  const file = await promptyWithImages(t, 'user:\nDescribe ![photo]({{picture}} "My title") please');
  const template = await PromptTemplate.fromPrompty(file);
  assert.deepEqual(template.createMessages({ picture: "pics/pixel.png" })[0].content, [
    { type: "text", text: "Describe" },
    { type: "image_url", image_url: { url: `data:image/png;base64,${await base64Of("pixel.png")}` } },
    { type: "text", text: "please" },
  ]);
  assert.deepEqual(template.createMessages({ picture: "https://example.com/a.png" })[0].content, [
    { type: "text", text: "Describe" },
    { type: "image_url", image_url: { url: "https://example.com/a.png" } },
    { type: "text", text: "please" },
  ]);
});

test("T6 image syntax written by the data is text: data cannot make the SDK read a file", async (t) => {
  const file = await promptyWithImages(t, "user:\n{{question}}");
  const question = "What is this? ![x](pics/pixel.png) and ![y](https://example.com/y.png)";
  assert.deepEqual((await PromptTemplate.fromPrompty(file)).createMessages({ question }), [
    { role: "user", content: question },
  ]);
});

test("T6 a `]` or `)` from the data does not end the template's image syntax", async (t) => {
  const file = await promptyWithImages(t, "user:\n![{{alt}}](pics/pixel.png)");
  const [message] = (await PromptTemplate.fromPrompty(file)).createMessages({ alt: "a](evil.gif) b" });
  assert.deepEqual(message.content, [
    { type: "image_url", image_url: { url: `data:image/png;base64,${await base64Of("pixel.png")}` } },
  ]);
});

test("T4.4 an image with an empty target is an error", async (t) => {
  const file = await promptyWithImages(t, "user:\n![nothing]({{missing}})");
  const template = await PromptTemplate.fromPrompty(file);
  assert.throws(() => template.createMessages(), /has no target/);
  assert.throws(() => PromptTemplate.fromString("user:\n![x]()").createMessages(), /has no target/);
});
