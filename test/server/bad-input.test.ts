// Every row of the bad-input matrix (S1.4) and the known-key rules (S1.5): a clear 4xx in the
// error envelope, naming the problem, never a crash and never a hang. Real engine, tiny model.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type { InferenceServer } from "../../src/server/index.js";
import { ask, errorOf, postJson, startTinyServer } from "../support/tiny-server.js";

let server: InferenceServer;
before(async () => {
  server = await startTinyServer();
});
after(() => server.close());

interface Row {
  title: string;
  /** A JSON value, or the raw body text when `raw` is set. */
  body: unknown;
  raw?: boolean;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  status: number;
  code?: string;
  param?: string;
  /** What the message must name. */
  names: RegExp;
}

async function check(row: Row): Promise<void> {
  const path = row.path ?? "/chat/completions";
  const response = await (row.method
    ? server.fetch(path, { method: row.method })
    : postJson(server.fetch, path, row.raw ? (row.body as string) : JSON.stringify(row.body), row.headers));
  assert.equal(response.status, row.status);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  const error = await errorOf(response);
  if (row.code) assert.equal(error.code, row.code);
  if (row.param) assert.equal(error.param, row.param);
  assert.match(error.message, row.names);
}

const one = ask("hi");
const tool = { type: "function", function: { name: "f", parameters: { type: "object", properties: {} } } };

const s14: Row[] = [
  {
    title: "invalid JSON is 400",
    body: '{"messages": [',
    raw: true,
    status: 400,
    code: "invalid_json",
    names: /not valid JSON/,
  },
  { title: "an empty body is 400", body: "", raw: true, status: 400, code: "invalid_json", names: /JSON/ },
  { title: "a JSON array is not an object (400)", body: [1], status: 400, names: /JSON object/ },
  { title: "a JSON string is not an object (400)", body: "hello", status: 400, names: /JSON object/ },
  { title: "JSON null is not an object (400)", body: null, status: 400, names: /JSON object/ },
  {
    title: "missing messages is 400",
    body: {},
    status: 400,
    param: "messages",
    names: /'messages' is required/,
  },
  {
    title: "empty messages is 400",
    body: { messages: [] },
    status: 400,
    param: "messages",
    names: /at least one/,
  },
  {
    title: "messages not an array is 400",
    body: { messages: "hi" },
    status: 400,
    param: "messages",
    names: /must be an array/,
  },
  {
    title: "a message that is not an object names its index",
    body: { messages: [one[0], 5] },
    status: 400,
    param: "messages[1]",
    names: /messages\[1\]/,
  },
  {
    title: "a message without a role names its index",
    body: { messages: [one[0], { content: "x" }] },
    status: 400,
    param: "messages[1].role",
    names: /messages\[1\] has no 'role'/,
  },
  {
    title: "an unknown role names its index and the role",
    body: { messages: [{ role: "wizard", content: "x" }] },
    status: 400,
    param: "messages[0].role",
    names: /messages\[0\]\.role .*"wizard"/,
  },
  {
    title: "a role of the wrong type names its index",
    body: { messages: [{ role: 7, content: "x" }] },
    status: 400,
    param: "messages[0].role",
    names: /messages\[0\]\.role/,
  },
  {
    title: "a user message without content names its index",
    body: { messages: [{ role: "user" }] },
    status: 400,
    param: "messages[0].content",
    names: /messages\[0\] has no 'content'/,
  },
  {
    title: "content of the wrong type names its index",
    body: { messages: [one[0], { role: "user", content: 42 }] },
    status: 400,
    param: "messages[1].content",
    names: /messages\[1\]\.content/,
  },
  {
    title: "a malformed content part names its index",
    body: { messages: [{ role: "user", content: [{ type: "text", text: 3 }] }] },
    status: 400,
    param: "messages[0].content[0].text",
    names: /messages\[0\]\.content\[0\]\.text/,
  },
  {
    title: "an image part is refused naming its index",
    body: { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "data:," } }] }] },
    status: 400,
    param: "messages[0].content[0]",
    names: /image_url.*text only/,
  },
  {
    title: "an assistant message with neither content nor tool_calls names its index",
    body: { messages: [one[0], { role: "assistant" }] },
    status: 400,
    param: "messages[1].content",
    names: /messages\[1\].*'content' or 'tool_calls'/,
  },
  {
    title: "a malformed tool call names its index",
    body: { messages: [{ role: "assistant", tool_calls: [{ id: "a", type: "function", function: {} }] }] },
    status: 400,
    param: "messages[0].tool_calls[0].function.name",
    names: /tool_calls\[0\]/,
  },
  {
    title: "a tool message without tool_call_id names its index",
    body: { messages: [{ role: "tool", content: "x" }] },
    status: 400,
    param: "messages[0].tool_call_id",
    names: /messages\[0\].*tool_call_id/,
  },
  {
    title: "a tool message answering no call names its index",
    body: { messages: [one[0], { role: "tool", tool_call_id: "nope", content: "x" }] },
    status: 400,
    param: "messages[1].tool_call_id",
    names: /'nope' answers no tool call/,
  },
  {
    title: "temperature of the wrong type is named",
    body: { messages: one, temperature: "hot" },
    status: 400,
    param: "temperature",
    names: /'temperature' must be a number/,
  },
  {
    title: "temperature out of range is named",
    body: { messages: one, temperature: 3 },
    status: 400,
    param: "temperature",
    names: /'temperature' must be between 0 and 2/,
  },
  {
    title: "top_p of the wrong type is named",
    body: { messages: one, top_p: [] },
    status: 400,
    param: "top_p",
    names: /'top_p'/,
  },
  {
    title: "max_tokens not an integer is named",
    body: { messages: one, max_tokens: 1.5 },
    status: 400,
    param: "max_tokens",
    names: /'max_tokens' must be an integer/,
  },
  {
    title: "max_tokens below 1 is named",
    body: { messages: one, max_tokens: 0 },
    status: 400,
    param: "max_tokens",
    names: /'max_tokens' must be at least 1/,
  },
  {
    title: "stream of the wrong type is named",
    body: { messages: one, stream: "yes" },
    status: 400,
    param: "stream",
    names: /'stream' must be a boolean/,
  },
  {
    title: "stop of the wrong type is named",
    body: { messages: one, stop: 5 },
    status: 400,
    param: "stop",
    names: /'stop'/,
  },
  {
    title: "more than 16 stop strings are refused (hostile: each is matched against every token)",
    body: { messages: one, stop: Array.from({ length: 17 }, (_, i) => `s${i}`) },
    status: 400,
    param: "stop",
    names: /'stop' has 17 strings; at most 16/,
  },
  {
    title: "a stop string over 1,000 characters is refused (hostile: 3 MB took minutes to prepare)",
    body: { messages: one, stop: ["ok", "x".repeat(3_000_000)] },
    status: 400,
    param: "stop[1]",
    names: /'stop\[1\]' is 3000000 characters long; at most 1000/,
  },
  {
    title: "seed of the wrong type is named",
    body: { messages: one, seed: "x" },
    status: 400,
    param: "seed",
    names: /'seed' must be an integer/,
  },
  {
    title: "frequency_penalty of the wrong type is named",
    body: { messages: one, frequency_penalty: true },
    status: 400,
    param: "frequency_penalty",
    names: /'frequency_penalty'/,
  },
  {
    title: "tools of the wrong type is named",
    body: { messages: one, tools: {} },
    status: 400,
    param: "tools",
    names: /'tools' must be an array/,
  },
  {
    title: "a tool without a valid name is named",
    body: { messages: one, tools: [{ type: "function", function: { name: "a b" } }] },
    status: 400,
    param: "tools[0].function.name",
    names: /tools\[0\]\.function\.name/,
  },
  {
    title: "stream_options of the wrong type is named",
    body: { messages: one, stream: true, stream_options: 1 },
    status: 400,
    param: "stream_options",
    names: /'stream_options'/,
  },
  {
    title: "tool_choice naming an unknown tool is named",
    body: { messages: one, tools: [tool], tool_choice: { type: "function", function: { name: "g" } } },
    status: 400,
    param: "tool_choice.function.name",
    names: /'g'/,
  },
  {
    title: "tool_choice required without tools is named",
    body: { messages: one, tool_choice: "required" },
    status: 400,
    param: "tool_choice",
    names: /no 'tools'/,
  },
  {
    title: "max_tokens above what the context holds is 400",
    body: { messages: one, max_tokens: 100000 },
    status: 400,
    code: "context_length_exceeded",
    param: "max_tokens",
    names: /'max_tokens' 100000 .* context of \d+ tokens/,
  },
  {
    title: "a prompt larger than the context is 400",
    body: { messages: ask("word ".repeat(6000)) },
    status: 400,
    code: "context_length_exceeded",
    param: "messages",
    names: /context/,
  },
  {
    title: "an unsupported response_format type is 400",
    body: { messages: one, response_format: { type: "xml" } },
    status: 400,
    param: "response_format.type",
    names: /"xml" is not supported/,
  },
  {
    title: "response_format of the wrong type is 400",
    body: { messages: one, response_format: "json" },
    status: 400,
    param: "response_format",
    names: /'response_format' must be an object/,
  },
  {
    title: "json_schema without a schema is 400",
    body: { messages: one, response_format: { type: "json_schema", json_schema: { name: "x" } } },
    status: 400,
    param: "response_format.json_schema.schema",
    names: /schema/,
  },
  {
    title: "a strict schema keyword the grammar can't enforce is named",
    body: {
      messages: one,
      response_format: {
        type: "json_schema",
        json_schema: {
          name: "x",
          strict: true,
          schema: { type: "object", properties: { id: { type: "string", pattern: "^a$" } } },
        },
      },
    },
    status: 400,
    code: "unsupported_parameter",
    param: "response_format.json_schema.schema.properties.id.pattern",
    names: /keyword 'pattern'/,
  },
  {
    title: "a strict tool schema keyword the grammar can't enforce is named",
    body: {
      messages: one,
      tools: [
        {
          type: "function",
          function: {
            name: "f",
            strict: true,
            parameters: { type: "object", properties: { n: { type: "number", minimum: 1 } } },
          },
        },
      ],
    },
    status: 400,
    param: "tools[0].function.parameters.properties.n.minimum",
    names: /keyword 'minimum'.*tool 'f'/,
  },
  {
    title: "logit_bias with a json grammar is refused",
    body: { messages: one, logit_bias: { "10": 1 }, response_format: { type: "json_object" } },
    status: 400,
    param: "logit_bias",
    names: /'logit_bias' cannot be combined/,
  },
  {
    title: "logit_bias with tools is refused",
    body: { messages: one, logit_bias: { "10": 1 }, tools: [tool] },
    status: 400,
    param: "logit_bias",
    names: /'logit_bias' cannot be combined/,
  },
  {
    title: "logit_bias naming a token the model lacks is refused",
    body: { messages: one, logit_bias: { "99999": 1 } },
    status: 400,
    param: "logit_bias",
    names: /token 99999/,
  },
  {
    title: "logit_bias with a key that is not a token id is refused",
    body: { messages: one, logit_bias: { hello: 1 } },
    status: 400,
    param: "logit_bias",
    names: /token ids, not 'hello'/,
  },
  {
    title: "response_format json with tools is refused",
    body: { messages: one, tools: [tool], response_format: { type: "json_object" } },
    status: 400,
    param: "response_format",
    names: /cannot be combined with 'tools'/,
  },
  {
    title: "a wrong content type is 415",
    body: { messages: one },
    headers: { "content-type": "text/plain" },
    status: 415,
    code: "unsupported_media_type",
    names: /text\/plain/,
  },
  {
    title: "a form content type is 415",
    body: "a=b",
    raw: true,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    names: /application\/json/,
  },
  {
    title: "an unknown route is 404",
    body: { messages: one },
    path: "/completions",
    status: 404,
    code: "not_found",
    names: /\/completions/,
  },
  {
    title: "an unknown GET route is 404",
    body: undefined,
    path: "/v2/models",
    method: "GET",
    status: 404,
    names: /\/v2\/models/,
  },
  {
    title: "a wrong method is 405",
    body: undefined,
    method: "GET",
    status: 405,
    code: "method_not_allowed",
    names: /POST only, not GET/,
  },
  {
    title: "a wrong method on /info is 405",
    body: undefined,
    path: "/info",
    method: "DELETE",
    status: 405,
    names: /GET only/,
  },
];

const s15: Row[] = [
  {
    title: "an unknown key is refused by default, named",
    body: { messages: one, foo: 1 },
    status: 400,
    code: "unknown_parameter",
    param: "foo",
    names: /'foo'/,
  },
  {
    title: "every unknown key is named",
    body: { messages: one, foo: 1, bar: 2 },
    status: 400,
    names: /'foo', 'bar'/,
  },
  {
    title: "extra-parameters error refuses unknown keys",
    body: { messages: one, foo: 1 },
    headers: { "extra-parameters": "error" },
    status: 400,
    names: /'foo'/,
  },
  {
    title: "any other extra-parameters value is 400",
    body: { messages: one },
    headers: { "extra-parameters": "maybe" },
    status: 400,
    param: "extra-parameters",
    names: /'extra-parameters' header .* not 'maybe'/,
  },
  {
    title: "n above 1 is refused, named",
    body: { messages: one, n: 2 },
    status: 400,
    code: "unsupported_parameter",
    param: "n",
    names: /'n' must be 1/,
  },
  {
    title: "logprobs true is refused, named",
    body: { messages: one, logprobs: true },
    status: 400,
    param: "logprobs",
    names: /'logprobs'/,
  },
  {
    title: "top_logprobs is refused, named",
    body: { messages: one, top_logprobs: 2 },
    status: 400,
    param: "top_logprobs",
    names: /'top_logprobs'/,
  },
  {
    title: "modalities with audio is refused, named",
    body: { messages: one, modalities: ["text", "audio"] },
    status: 400,
    param: "modalities",
    names: /'modalities'.*'audio'/,
  },
  {
    title: "max_tokens and max_completion_tokens that disagree are refused",
    body: { messages: one, max_tokens: 3, max_completion_tokens: 4 },
    status: 400,
    param: "max_completion_tokens",
    names: /disagree/,
  },
];

describe("S1.4 bad input gets a clear 4xx naming the problem", () => {
  for (const row of s14) test(`S1.4 ${row.title}`, () => check(row));

  test("S1.4 a body over the default 4 MiB limit is 413", async () => {
    const big = JSON.stringify({ messages: ask("x".repeat(4 * 1024 * 1024)) });
    const response = await postJson(server.fetch, "/chat/completions", big);
    assert.equal(response.status, 413);
    const error = await errorOf(response);
    assert.equal(error.code, "payload_too_large");
    assert.match(error.message, /limit of 4194304 bytes/);
  });

  test("S1.4 bad input never hangs the server: a good request still runs after all of them", async () => {
    const response = await postJson(server.fetch, "/chat/completions", { messages: one, max_tokens: 2 });
    assert.equal(response.status, 200);
  });
});

describe("S1.5 known keys and extra-parameters", () => {
  for (const row of s15) test(`S1.5 ${row.title}`, () => check(row));

  test("S1.5 extra-parameters drop ignores unknown keys", async () => {
    const response = await postJson(
      server.fetch,
      "/chat/completions",
      { messages: one, max_tokens: 2, foo: 1 },
      { "extra-parameters": "drop" },
    );
    assert.equal(response.status, 200);
  });

  test("S1.5 extra-parameters pass-through accepts unknown keys", async () => {
    const response = await postJson(
      server.fetch,
      "/chat/completions",
      { messages: one, max_tokens: 2, foo: { a: 1 } },
      { "extra-parameters": "pass-through" },
    );
    assert.equal(response.status, 200);
  });

  test("S1.5 explicit nulls count as absent", async () => {
    const response = await postJson(server.fetch, "/chat/completions", {
      messages: one,
      max_tokens: 2,
      tools: null,
      temperature: null,
      stop: null,
    });
    assert.equal(response.status, 200);
  });
});

describe("S1.4 embeddings input", () => {
  const rows: Row[] = [
    { title: "missing input is 400", body: {}, status: 400, param: "input", names: /'input' is required/ },
    {
      title: "input of the wrong type is named",
      body: { input: 5 },
      status: 400,
      param: "input",
      names: /'input' must be a string or an array of strings/,
    },
    {
      title: "a non-string input item names its index",
      body: { input: ["a", 3] },
      status: 400,
      param: "input[1]",
      names: /input\[1\]/,
    },
    { title: "empty input is 400", body: { input: [] }, status: 400, param: "input", names: /at least one/ },
    {
      title: "an unsupported encoding_format is named",
      body: { input: "a", encoding_format: "int8" },
      status: 400,
      param: "encoding_format",
      names: /'encoding_format'.*'int8'/,
    },
    {
      title: "dimensions the model can't give are named",
      body: { input: "a", dimensions: 12 },
      status: 400,
      param: "dimensions",
      names: /'dimensions' must be 64/,
    },
    {
      title: "an unknown key is named",
      body: { input: "a", colour: "red" },
      status: 400,
      param: "colour",
      names: /'colour'/,
    },
  ];
  for (const row of rows) test(`S1.4 embeddings: ${row.title}`, () => check({ ...row, path: "/embeddings" }));
});
