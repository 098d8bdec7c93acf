// Issue 13, prompts: a Prompty file's declared `inputs` (defaults, type checks, the reference's
// refusal of untyped and shorthand entries), `+++` fences and the `NOOP` renderer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { PromptTemplate } from "../../../src/helpers/prompts/prompt-template.js";
import { PromptTemplateError } from "../../../src/helpers/prompts/prompt-template-error.js";
import { tempFiles } from "../../support/temp-files.js";

async function load(t: Parameters<typeof tempFiles>[0], text: string): Promise<PromptTemplate> {
  const dir = await tempFiles(t, { "p.prompty": text });
  return PromptTemplate.fromPrompty(join(dir, "p.prompty"));
}

async function rejectsAt(
  t: Parameters<typeof tempFiles>[0],
  text: string,
  where: { line: number; key?: string },
  message: RegExp,
): Promise<void> {
  const dir = await tempFiles(t, { "p.prompty": text });
  const file = join(dir, "p.prompty");
  await assert.rejects(PromptTemplate.fromPrompty(file), (error: unknown) => {
    assert.ok(error instanceof PromptTemplateError, String(error));
    assert.equal(error.file, file);
    assert.equal(error.line, where.line);
    assert.equal(error.key, where.key);
    assert.match(error.message, message);
    return true;
  });
}

const TYPED = [
  "---",
  "inputs:",
  "  question: { type: string }",
  "  count: { type: number, default: 3 }",
  "  tone: { type: string, default: polite, description: how to answer }",
  "  tags: { type: array, default: [a, b] }",
  "  strict: { type: boolean, default: false }",
  "  context: { type: object, default: { hotel: Ritz } }",
  "sample:",
  "  tone: sampled",
  "---",
  "user:",
  "{{question}} ({{count}}, {{tone}}, {{#tags}}{{.}};{{/tags}} {{strict}}, {{context.hotel}})",
].join("\n");

test("#13 T2.1 inputs: each declared default applies where neither the data nor the sample gives a value", async (t) => {
  const template = await load(t, TYPED);
  assert.deepEqual(template.createMessages({ question: "Q?" }), [
    { role: "user", content: "Q? (3, sampled, a;b; false, Ritz)" },
  ]);
  assert.deepEqual(
    template.createMessages({ question: "Q?", count: 7, tone: "curt", tags: [], strict: true, context: {} }),
    [{ role: "user", content: "Q? (7, curt,  true, )" }],
  );
  assert.deepEqual(template.prompty?.inputs.tone, {
    type: "string",
    default: "polite",
    description: "how to answer",
  });
  assert.equal(template.prompty?.inputs.question.description, "");
});

test("#13 T2.1 inputs: a value of another type than declared throws TypeError naming the input", async (t) => {
  const template = await load(t, TYPED);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ question: 42 }, /input "question" must be a string.*not the number 42/],
    [{ count: "3" }, /input "count" must be a number.*not a string/],
    [{ count: Number.NaN }, /input "count" must be a number/],
    [{ tags: "a,b" }, /input "tags" must be an array/],
    [{ strict: "yes" }, /input "strict" must be a boolean/],
    [{ context: [1] }, /input "context" must be an object.*not an array/],
  ];
  for (const [data, message] of cases) {
    assert.throws(
      () => template.createMessages(data),
      (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, message);
        assert.match(error.message, /^createMessages\(\): .*p\.prompty/);
        return true;
      },
    );
  }
  assert.throws(() => template.render({ count: "x" }), /^TypeError: render\(\): the input "count"/);
  await assert.rejects(
    template.createMessagesAsync({ count: "x" }),
    /createMessagesAsync\(\): the input "count"/,
  );
  // null counts as no value (it renders as nothing); undeclared names are not checked.
  assert.deepEqual(
    template.createMessages({ question: null, other: 5 })[0].content,
    "(3, sampled, a;b; false, Ritz)",
  );
});

test("#13 T2.1 inputs and outputs without a type, in shorthand, or of an unknown type are errors as in the reference", async (t) => {
  await rejectsAt(
    t,
    "---\ninputs:\n  question: string\n---\nhi",
    { line: 3, key: "inputs.question" },
    /must be a mapping with a `type`.*shorthand `question: string`/,
  );
  await rejectsAt(
    t,
    "---\ninputs:\n  question:\n    description: what\n---\nhi",
    { line: 3, key: "inputs.question" },
    /has no `type`/,
  );
  await rejectsAt(
    t,
    "---\ninputs:\n  q: { type: text }\n---\nhi",
    { line: 3, key: "inputs.q.type" },
    /one of string, number, boolean, array, object, not "text"/,
  );
  await rejectsAt(
    t,
    "---\noutputs:\n  answer: Paris\n---\nhi",
    { line: 3, key: "outputs.answer" },
    /must be a mapping with a `type`/,
  );
  await rejectsAt(
    t,
    "---\noutputs:\n  answer: {}\n---\nhi",
    { line: 3, key: "outputs.answer" },
    /has no `type`/,
  );
  await rejectsAt(
    t,
    "---\ninputs:\n  n: { type: number, default: three }\n---\nhi",
    { line: 3, key: "inputs.n.default" },
    /must be a number \(the declared type\), not a string/,
  );
  await rejectsAt(
    t,
    "---\ninputs:\n  n: { type: number, description: [x] }\n---\nhi",
    { line: 3, key: "inputs.n.description" },
    /must be text/,
  );
});

test("#13 T2.1 a base file's inputs are merged under the child's, and their defaults apply", async (t) => {
  const dir = await tempFiles(t, {
    "base.prompty":
      "---\ninputs:\n  name: { type: string, default: guest }\n  n: { type: number, default: 1 }\n---\nignored",
    "child.prompty":
      "---\nbase: base.prompty\ninputs:\n  n: { type: number, default: 2 }\n---\nuser:\n{{name}} {{n}}",
  });
  const template = await PromptTemplate.fromPrompty(join(dir, "child.prompty"));
  assert.deepEqual(template.createMessages(), [{ role: "user", content: "guest 2" }]);
  assert.throws(() => template.createMessages({ name: 1 }), /input "name" must be a string/);
});

test("#13 T2.1 `+++` fences open and close the front matter as `---` does; the closing fence must match", async (t) => {
  const template = await load(t, "+++\nname: plus\nsample: { who: you }\n+++\nuser:\nhi {{who}}");
  assert.equal(template.prompty?.name, "plus");
  assert.deepEqual(template.createMessages(), [{ role: "user", content: "hi you" }]);
  await rejectsAt(
    t,
    "+++\nname: x\n---\nhi",
    { line: 1 },
    /opened by `\+\+\+` on line 1 is never closed by a `\+\+\+` line/,
  );
});

test("#13 T2.1 the NOOP renderer uses the template as written: no Mustache, still split into messages", async (t) => {
  const template = await load(
    t,
    "---\ntemplate: NOOP\nsample: { x: 1 }\n---\nsystem:\nKeep {{x}} and {{#s}}as is{{/s}\nuser:\nhi",
  );
  assert.deepEqual(template.prompty?.template, { type: "NOOP", parser: "prompty" });
  assert.deepEqual(template.createMessages({ x: 2 }), [
    { role: "system", content: "Keep {{x}} and {{#s}}as is{{/s}" },
    { role: "user", content: "hi" },
  ]);
  const mapping = await load(t, "---\ntemplate: { type: NOOP, parser: prompty }\n---\n{{a}}");
  assert.equal(mapping.render(), "{{a}}");
  await rejectsAt(
    t,
    "---\ntemplate: noop\n---\nhi",
    { line: 2, key: "template" },
    /renderer "noop" is not supported: only mustache and NOOP/,
  );
});
