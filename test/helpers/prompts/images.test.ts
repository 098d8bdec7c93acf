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

const SAS = 'https://acct.blob.core.windows.net/pics/cat.png?sv=2024-01-01&sr=b&sig=a%2Bb%3D&x=<1>&q="';

test("#13 T4.4 an image URL from {{value}} is sent as given, never HTML-escaped; the text around it still is", async (t) => {
  const fromString = PromptTemplate.fromString("user:\nLook & see ![cat]({{picture}}) {{note}}");
  assert.deepEqual(fromString.createMessages({ picture: SAS, note: "a & b" })[0].content, [
    { type: "text", text: "Look & see" },
    { type: "image_url", image_url: { url: SAS } },
    { type: "text", text: "a &amp; b" },
  ]);
  const file = await promptyWithImages(
    t,
    "user:\n![cat]({{picture}}) ![raw]({{{picture}}}) ![lit](https://h/p.png?a=1&amp;b=2)",
  );
  const [message] = (await PromptTemplate.fromPrompty(file)).createMessages({ picture: SAS });
  assert.deepEqual(message.content, [
    { type: "image_url", image_url: { url: SAS } },
    { type: "image_url", image_url: { url: SAS } },
    // What the template itself writes is its own: a literal `&amp;` stays.
    { type: "image_url", image_url: { url: "https://h/p.png?a=1&amp;b=2" } },
  ]);
});

test("#13 T4.4 a target built from template text and values keeps each part as given", () => {
  const template = PromptTemplate.fromString("user:\n![x](https://h/{{dir}}/p.png?{{query}}&fixed=1)");
  assert.deepEqual(template.createMessages({ dir: "a&b", query: 's=1&t="2"' })[0].content, [
    { type: "image_url", image_url: { url: 'https://h/a&b/p.png?s=1&t="2"&fixed=1' } },
  ]);
});

test("#13 T4.4 the images a Prompty template names are read once, when it loads (asynchronously)", async (t) => {
  const dir = await tempFiles(t, {
    "p.prompty": "---\nname: x\n---\nuser:\n![a](a.png)",
    "a.png": new Uint8Array([1, 2, 3]),
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "p.prompty"));
  const { writeFile, rm } = await import("node:fs/promises");
  await writeFile(join(dir, "a.png"), new Uint8Array([9, 9, 9]));
  await rm(join(dir, "a.png"));
  const expected = [{ type: "image_url", image_url: { url: "data:image/png;base64,AQID" } }];
  assert.deepEqual(template.createMessages()[0].content, expected);
  assert.deepEqual((await template.createMessagesAsync())[0].content, expected);
});

test("#13 T4.4 createMessagesAsync reads the images the data names without blocking, together, and fails as createMessages does", async (t) => {
  const file = await promptyWithImages(t, "user:\n![a]({{first}}) ![b]({{second}}) ![c](pics/dataset.png)");
  const template = await PromptTemplate.fromPrompty(file);
  const data = { first: "pics/pixel.png", second: "pics/photo.JPG" };
  const messages = await template.createMessagesAsync(data);
  assert.deepEqual(messages, template.createMessages(data));
  assert.deepEqual(messages[0].content, [
    { type: "image_url", image_url: { url: `data:image/png;base64,${await base64Of("pixel.png")}` } },
    { type: "image_url", image_url: { url: `data:image/jpeg;base64,${await base64Of("photo.JPG")}` } },
    { type: "image_url", image_url: { url: `data:image/png;base64,${await base64Of("dataset.png")}` } },
  ]);
  await assert.rejects(
    template.createMessagesAsync({ first: "pics/none.png", second: "https://h/x.png" }),
    (error: unknown) =>
      error instanceof PromptTemplateError && /cannot read the image .*none\.png/.test(error.message),
  );
  await assert.rejects(
    template.createMessagesAsync({ first: "pics/anim.gif", second: "https://h/x.png" }),
    /only \.png, \.jpg and \.jpeg/,
  );
  // fromString reads nothing: targets are sent as written.
  assert.deepEqual(
    (await PromptTemplate.fromString("user:\n![a]({{p}})").createMessagesAsync({ p: "pics/pixel.png" }))[0]
      .content,
    [{ type: "image_url", image_url: { url: "pics/pixel.png" } }],
  );
});
