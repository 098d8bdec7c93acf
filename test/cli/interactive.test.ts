// The interactive chat in a real pseudo-terminal (issue 10, S4.1): it survives a failed turn, keeps
// the conversation within the local model's context by leaving out the oldest turns (and says
// so), Ctrl-C stops an answer and returns to the prompt, Ctrl-C at the prompt or Ctrl-D ends.
import { type TestContext, test } from "node:test";
import assert from "node:assert/strict";
import { runInTerminal } from "../support/pty.js";
import { tinyModelPath } from "../support/tiny-model.js";

/** The tiny model without end of turn: every answer runs to max_tokens, so answers last. */
const endlessModel = () => tinyModelPath({ eosBias: -1000 });

const prompt = /> $/;
const stopped = /\(stopped\)[\s\S]*> $/;

/** `chat` with the endless tiny model in a terminal, at its first prompt; killed when the test ends. */
async function startChat(t: TestContext, maxTokens: number) {
  const terminal = runInTerminal([
    "chat",
    "--model-file",
    await endlessModel(),
    "--max-tokens",
    String(maxTokens),
  ]);
  t.after(() => terminal.kill());
  await terminal.waitFor(prompt);
  return {
    terminal,
    /** Types `keys` (piece by piece) and waits for `until` after them; returns where the output stood before. */
    async send(keys: string | string[], until: RegExp): Promise<number> {
      const mark = terminal.output().length;
      for (const piece of typeof keys === "string" ? [keys] : keys) terminal.type(piece);
      await terminal.waitFor(until, mark);
      return mark;
    },
    /** Ctrl-C during the answer that began at `mark`: it stops, and the prompt comes back. */
    async stopAnswer(mark: number): Promise<void> {
      terminal.type("\x03");
      await terminal.waitFor(stopped, mark);
    },
  };
}

test(
  "issue 10 S4.1 interactive chat: Ctrl-C stops the answer, a failed turn is reported and the chat goes on, Ctrl-D ends",
  { timeout: 120_000 },
  async (t) => {
    const chat = await startChat(t, 1800);
    // Ctrl-C once the answer has begun (its first 20 characters shown).
    await chat.stopAnswer(await chat.send("tell me a long story\r", /story\r*\n[\s\S]{20}/));

    // A message longer than the whole context: no turn left out can make it fit.
    const long = Array.from({ length: 12 }, () => "a b c d e f g h i j ".repeat(25));
    await chat.send([...long, "\r"], /error: .*context[\s\S]*> $/);

    await chat.stopAnswer(await chat.send("are you still there\r", /still there\r*\n[\s\S]{20}/));

    chat.terminal.type("\x04");
    assert.equal(await chat.terminal.exited, 0);
    assert.doesNotMatch(chat.terminal.output(), /\n\s+at /, "no stack trace");
  },
);

test(
  "issue 10 S4.1 interactive chat with the local model leaves out the oldest turns when the context is full, and says so",
  { timeout: 120_000 },
  async (t) => {
    // Each answer is 1,200 tokens of a 2,048-token context: the second question no longer fits with the first turn.
    const chat = await startChat(t, 1200);
    await chat.send("first\r", /first\r*\n[\s\S]+> $/);
    await chat.send("second\r", /the oldest turn was left out[\s\S]+> $/);
    chat.terminal.type("\x03"); // Ctrl-C at the prompt ends the chat
    assert.equal(await chat.terminal.exited, 0);
  },
);
