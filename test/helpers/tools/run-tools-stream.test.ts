// The streamed tool loop (runTools with stream: true) over real loopback HTTP: scripted SSE answers
// and the recorded Mistral streamed tool round trip. TL ids: see docs/tool-loop.md.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  AbortError,
  AzureKeyCredential,
  ChatCompletionsClient,
  HttpResponseError,
  StreamingChatCompletionsUpdate,
  SystemMessage,
  UserMessage,
} from "../../../src/index.js";
import {
  type RunnableTool,
  type ToolRunEvent,
  ToolRunStream,
  runTools,
} from "../../../src/helpers/tools/index.js";
import { type Handler, type ReplyPlan, useLoopbackServer } from "../../support/loopback-server.js";
import { startReplay } from "../../support/replay.js";
import { reply, streamReply, toolCall } from "../../support/chat-replies.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const messages = [new UserMessage("Weather in Oslo and Rome?")];
const weather: RunnableTool<{ city: string }> = {
  name: "get_weather",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  execute: ({ city }) => `${city}: sunny`,
};

async function clientFor(t: Parameters<typeof useLoopbackServer>[0], ...plans: (ReplyPlan | Handler)[]) {
  const server = await useLoopbackServer(t, ...plans);
  const client = new ChatCompletionsClient(server.url, null, { apiVersion: null, maxRetries: 0 });
  const bodies = () => server.requests.map((request) => request.json() as Json);
  return { server, client, bodies };
}

async function collect(run: ToolRunStream): Promise<ToolRunEvent[]> {
  const events: ToolRunEvent[] = [];
  for await (const event of run) events.push(event);
  return events;
}

const script = (stream: boolean) => {
  const make = stream ? streamReply : reply;
  return [
    make({
      toolCalls: [
        toolCall("c1", "get_weather", { city: "Oslo" }),
        toolCall("c2", "get_weather", { city: "Rome" }),
      ],
    }),
    make({ content: "Oslo and Rome are sunny." }),
  ];
};

describe("TL8 the streamed loop", () => {
  test("TL8 events come in order: each round's updates, its accumulated answer, then its tool results", async (t) => {
    const { client } = await clientFor(t, ...script(true));
    const run = await runTools(client, { messages, tools: [weather], stream: true });
    assert.ok(run instanceof ToolRunStream);
    const events: ToolRunEvent[] = [];
    for await (const event of run) events.push(event);
    const outline = events.map((e) => `${e.round}:${e.type}`).filter((v, i, all) => v !== all[i - 1]);
    assert.deepEqual(outline, [
      "1:update",
      "1:completions",
      "1:tool-call",
      "1:tool-result",
      "2:update",
      "2:completions",
    ]);
    assert.ok(
      events
        .filter((e) => e.type === "update")
        .every((e) => e.update instanceof StreamingChatCompletionsUpdate),
    );
    const first = events.find((e) => e.type === "completions" && e.round === 1);
    assert.ok(first?.type === "completions");
    // Fragments keyed by index were accumulated into whole calls (finalChatCompletions()).
    assert.deepEqual(
      first.completions.choices[0].message.toolCalls?.map((c) => c.asDict()),
      [toolCall("c1", "get_weather", { city: "Oslo" }), toolCall("c2", "get_weather", { city: "Rome" })],
    );
    const text = events
      .filter((e) => e.type === "update" && e.round === 2)
      .map((e) => (e.type === "update" ? e.update.text : ""))
      .join("");
    assert.equal(text, "Oslo and Rome are sunny.");
    const result = await run.result();
    assert.equal(result.content, "Oslo and Rome are sunny.");
    assert.equal(result.rounds, 2);
    assert.deepEqual(
      result.toolResults.map((r) => r.output),
      ["Oslo: sunny", "Rome: sunny"],
    );
  });

  test("TL8 the streamed run sends the same conversation and gives the same result as the plain one", async (t) => {
    const streamed = await clientFor(t, ...script(true));
    const plain = await clientFor(t, ...script(false));
    const run = await runTools(streamed.client, { messages, tools: [weather], stream: true });
    const a = await run.result();
    const b = await runTools(plain.client, { messages, tools: [weather] });
    const conversation = (bodies: Json[]) => bodies.map((body) => body.messages);
    assert.deepEqual(conversation(streamed.bodies()), conversation(plain.bodies()));
    assert.ok(streamed.bodies().every((body) => body.stream === true));
    assert.ok(plain.bodies().every((body) => !("stream" in body)));
    assert.deepEqual(
      a.messages.map((m) => JSON.stringify(m)),
      b.messages.map((m) => JSON.stringify(m)),
    );
    assert.equal(a.maxRoundsReached, b.maxRoundsReached);
  });

  test("TL8 the recorded Mistral streamed tool call (whole call in one delta, no index) replays exactly", async (t) => {
    const replay = await startReplay(
      t,
      "test_chat_completion_with_function_call_streaming_tracing_content_recording_enabled",
    );
    const recorded = replay.recording.entries[0].RequestBody as Json;
    const definition = recorded.tools[0].function;
    const run = await runTools(
      new ChatCompletionsClient(replay.endpoint, new AzureKeyCredential("Sanitized")),
      {
        messages: [
          new SystemMessage(recorded.messages[0].content),
          new UserMessage(recorded.messages[1].content),
        ],
        tools: [{ ...definition, execute: () => "Nice weather" }],
        stream: true,
        // The recorded client asked for no usage (Mistral sends it unasked).
        includeUsage: false,
      },
    );
    const result = await run.result();
    // The recorded Python client asked for JSON even when streaming; compare the rest.
    replay.verify({ headers: ["content-type", "extra-parameters"] });
    assert.equal(result.rounds, 2);
    assert.match(result.content!, /^\[\{"name": "get_weather"/);
  });

  test("TL8 maxRounds stops a streamed run too", async (t) => {
    const { server, client } = await clientFor(
      t,
      streamReply({ toolCalls: [toolCall("c1", "get_weather", { city: "X" })] }),
    );
    const run = await runTools(client, { messages, tools: [weather], stream: true, maxRounds: 2 });
    const result = await run.result();
    assert.equal(server.requests.length, 2);
    assert.equal(result.maxRoundsReached, true);
  });

  test("TL8 a failed first request rejects runTools() itself; a failed later one rejects the iteration and result()", async (t) => {
    const denied: ReplyPlan = { status: 400, body: { error: { code: "bad", message: "no" } } };
    const first = await clientFor(t, denied);
    await assert.rejects(
      runTools(first.client, { messages, tools: [weather], stream: true }),
      HttpResponseError,
    );
    const later = await clientFor(t, script(true)[0], denied);
    const run = await runTools(later.client, { messages, tools: [weather], stream: true });
    await assert.rejects(async () => {
      for await (const _event of run);
    }, HttpResponseError);
    await assert.rejects(run.result(), HttpResponseError);
  });

  test("TL8 a run is read once", async (t) => {
    const { client } = await clientFor(t, ...script(true));
    const run = await runTools(client, { messages, tools: [weather], stream: true });
    const result = run.result();
    assert.throws(() => run[Symbol.asyncIterator](), { name: "TypeError", message: /read once.*result\(\)/ });
    assert.equal((await result).rounds, 2);
    assert.equal(await run.result(), await result);
  });
});

describe("TL9 ending a streamed run early", () => {
  test("TL9 break closes the run: no further request, and result() rejects with AbortError", async (t) => {
    const { server, client } = await clientFor(t, ...script(true));
    const run = await runTools(client, { messages, tools: [weather], stream: true });
    for await (const event of run) if (event.type === "update") break;
    await assert.rejects(run.result(), AbortError);
    assert.equal(server.requests.length, 1);
  });

  test("TL9 a run closed before it is read closes its first response (asyncDispose)", async (t) => {
    const { server, client } = await clientFor(t, ...script(true));
    const run = await runTools(client, { messages, tools: [weather], stream: true });
    await run[Symbol.asyncDispose]();
    assert.deepEqual(await collect(run), [], "a closed run has no events left");
    await assert.rejects(run.result(), AbortError);
    assert.equal(server.requests.length, 1);
  });

  test("TL9 close() while tools run aborts their signal", async (t) => {
    const { server, client } = await clientFor(t, ...script(true));
    const signals: AbortSignal[] = [];
    let run: ToolRunStream | undefined = undefined;
    const closing: RunnableTool = {
      name: "get_weather",
      execute: (_args, { abortSignal }) => {
        signals.push(abortSignal);
        void run!.close();
        return new Promise(() => {});
      },
    };
    run = await runTools(client, { messages, tools: [closing], stream: true });
    // The iteration ends where close() was called (the events up to then were read); the run's
    // result says it was aborted.
    for await (const _event of run!);
    await assert.rejects(run.result(), AbortError);
    assert.equal(signals.length, 2);
    assert.ok(signals.every((signal) => signal.aborted));
    assert.equal(server.requests.length, 1);
  });

  test("TL9 the caller's abortSignal aborts the stream being read", async (t) => {
    const controller = new AbortController();
    const pending: Handler = (_request, _write, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write(
        'data: {"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}\n\n',
      );
    };
    const { client } = await clientFor(t, pending);
    const run = await runTools(client, {
      messages,
      tools: [weather],
      stream: true,
      abortSignal: controller.signal,
    });
    const error = await (async () => {
      for await (const event of run) if (event.type === "update") controller.abort(new Error("stop"));
    })().catch((e: unknown) => e);
    assert.ok(error instanceof AbortError, String(error));
    await assert.rejects(run.result(), AbortError);
  });
});
