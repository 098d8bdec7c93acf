import { test } from "node:test";
import assert from "node:assert/strict";
import { PromptTemplate } from "../../../src/helpers/prompts/prompt-template.js";
import { compileTemplate, toRenderedText } from "../../../src/helpers/prompts/mustache-renderer.js";
import { PromptTemplateError } from "../../../src/helpers/prompts/prompt-template-error.js";

// Straight through the renderer: fromString would also strip indentation and the last line break.
const render = (template: string, data: object = {}) =>
  compileTemplate(template, { firstLine: 1 })(data).text;

test("T3.1 {{name}} escapes & < > and \" but not '", () => {
  assert.equal(render("{{v}}", { v: `a&b <c> "d" 'e'` }), "a&amp;b &lt;c&gt; &quot;d&quot; 'e'");
});

test("T3.1 {{{name}}} and {{& name}} are raw", () => {
  assert.equal(render("{{{v}}}|{{& v}}", { v: `<&"'>` }), `<&"'>|<&"'>`);
});

test("T3.1 the reference's sample: a URL in a rule is escaped", () => {
  const url = 'https://www.myhotel.com?key1=param1&key2=param"2&key3=param<3>';
  assert.equal(
    render("{{u}}", { u: url }),
    "https://www.myhotel.com?key1=param1&amp;key2=param&quot;2&amp;key3=param&lt;3&gt;",
  );
});

test("T3.2 dotted names, and numeric segments index lists", () => {
  const data = { a: { b: { c: "deep" } }, list: [{ name: "zero" }, { name: "one" }] };
  assert.equal(render("{{a.b.c}} {{list.1.name}} {{list.0.name}}", data), "deep one zero");
});

test("T3.2 {{.}} is the current item", () => {
  assert.equal(render("{{#items}}[{{.}}]{{/items}}", { items: ["x", 2, true] }), "[x][2][true]");
});

test("T3.2 a name missing from the current scope is looked up in outer scopes", () => {
  const data = { greeting: "hi", items: [{ name: "ann" }, { name: "bob", greeting: "yo" }] };
  assert.equal(render("{{#items}}{{greeting}} {{name}}; {{/items}}", data), "hi ann; yo bob; ");
});

test("T3.2 a missing name renders as nothing", () => {
  assert.equal(render("<{{nothing}}|{{a.b.c}}|{{{raw}}}>", { a: {} }), "<||>");
});

test("T3.3 sections: lists give one scope per item, truthy values are pushed as a scope", () => {
  assert.equal(render("{{#list}}{{n}},{{/list}}", { list: [{ n: 1 }, { n: 2 }] }), "1,2,");
  assert.equal(render("{{#person}}{{name}}{{/person}}", { person: { name: "Ada" } }), "Ada");
  assert.equal(render("{{#flag}}on{{/flag}}", { flag: true }), "on");
  assert.equal(render("{{#word}}<{{.}}>{{/word}}", { word: "text" }), "<text>");
});

test("T3.3 sections: falsy values and empty lists are skipped", () => {
  for (const value of [false, 0, "", null, undefined, []]) {
    assert.equal(render("a{{#v}}X{{/v}}b", { v: value }), "ab", `value ${JSON.stringify(value)}`);
  }
});

test("T3.3 inverted sections render for falsy values and empty lists only", () => {
  for (const value of [false, 0, "", null, undefined, []]) {
    assert.equal(render("{{^v}}none{{/v}}", { v: value }), "none");
  }
  for (const value of [true, 1, "x", [1], { a: 1 }]) {
    assert.equal(render("{{^v}}none{{/v}}", { v: value }), "");
  }
});

test("T3.3 comments vanish and partials render as nothing", () => {
  assert.equal(render("a{{! a comment }}b{{> header}}c", {}), "abc");
});

test("T3.3 delimiter changes", () => {
  assert.equal(render("{{=<% %>=}}<% name %> {{name}} <%={{ }}=%>{{name}}", { name: "N" }), "N {{name}} N");
});

test("T3.4 standalone section, inverted, comment and delimiter lines disappear with their newline", () => {
  const template = "a\n{{#s}}\nb\n{{/s}}\n  {{^t}}  \nc\n{{/t}}\n{{! note }}\n{{=<% %>=}}\nd <% x %>\n";
  assert.equal(render(template, { s: true, t: false, x: "X" }), "a\nb\nc\nd X\n");
});

test("T3.4 a tag sharing its line with text is not standalone", () => {
  assert.equal(render("a {{#s}}\nb{{/s}} c\n", { s: true }), "a \nb c\n");
});

test("T3.5 values print as JavaScript prints them; null and undefined print nothing", () => {
  const data = { t: true, f: false, tiny: 1e-7, one: 1.0, zero: 0, n: null, u: undefined, list: [1, 2] };
  assert.equal(
    render("{{t}} {{f}} {{tiny}} {{one}} {{zero}} <{{n}}{{u}}> {{list}}", data),
    "true false 1e-7 1 0 <> 1,2",
  );
});

test("T3.6 an unclosed tag names its line", () => {
  assert.throws(
    () => PromptTemplate.fromString("line one\nline two {{name\nline three"),
    (error: unknown) =>
      error instanceof PromptTemplateError &&
      error.line === 2 &&
      /never closed/.test(error.message) &&
      error.file === undefined,
  );
});

test("T3.6 closing the wrong section names the line of the closing tag", () => {
  assert.throws(
    () => PromptTemplate.fromString("{{#a}}\nx\n{{/b}}\n"),
    (error: unknown) => error instanceof PromptTemplateError && error.line === 3 && /"a"/.test(error.message),
  );
});

test("T3.6 a section never closed (unexpected end) names the line it opened on", () => {
  assert.throws(
    () => PromptTemplate.fromString("one\ntwo\n{{#open}}\nthree\nfour"),
    (error: unknown) =>
      error instanceof PromptTemplateError &&
      error.line === 3 &&
      /"open" is never closed/.test(error.message) &&
      error.message.startsWith("template:3: "),
  );
});

test("T3.6 closing a section that is not open names the line", () => {
  assert.throws(
    () => PromptTemplate.fromString("one\n{{/nothing}}"),
    (error: unknown) =>
      error instanceof PromptTemplateError && error.line === 2 && /nothing/.test(error.message),
  );
});

test("T3.6 fromString counts the leading blank lines it drops", () => {
  assert.throws(
    () => PromptTemplate.fromString("\n\n    system:\n    {{#x}}\n"),
    (error: unknown) => error instanceof PromptTemplateError && error.line === 4,
  );
});

test("T6 the rendering marks which characters came from the data, escaped (2) or raw (1)", () => {
  const rendered = compileTemplate("a{{v}}b{{{w}}}", { firstLine: 1 })({ v: "<", w: "xy" });
  assert.equal(rendered.text, "a&lt;bxy");
  assert.deepEqual([...rendered.fromData], [0, 2, 2, 2, 2, 0, 1, 1]);
});

test("T6 private-use sentinel characters in data and template survive and forge nothing", () => {
  const sentinels = "\uE000\uE001\uE002";
  const rendered = compileTemplate(`${sentinels}{{v}}${sentinels}`, { firstLine: 1 })({
    v: `x${sentinels}y`,
  });
  assert.equal(rendered.text, `${sentinels}x${sentinels}y${sentinels}`);
  assert.deepEqual([...rendered.fromData], [0, 0, 0, 2, 2, 2, 2, 2, 0, 0, 0]);
  assert.deepEqual(toRenderedText("\uE000a\uE001\uE001b"), { text: "ab", fromData: Uint8Array.from([1, 0]) });
});

test("T6 a lambda's output counts as data", () => {
  const template = PromptTemplate.fromString("system:\nhi\n{{#wrap}}\nuser:\n{{name}}\n{{/wrap}}");
  const messages = template.createMessages({ name: "n", wrap: () => (text: string) => `[${text}]` });
  assert.deepEqual(messages, [{ role: "system", content: "hi\n[\nuser:\n{{name}}\n]" }]);
});
