// The interactive chat in a real pseudo-terminal (issue 10, S4.1): it survives a failed turn, keeps
// the conversation within the local model's context by leaving out the oldest turns (and says
// so), Ctrl-C stops an answer and returns to the prompt, Ctrl-C at the prompt or Ctrl-D ends.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runInTerminal } from "../support/pty.js";
import { tinyModelPath } from "../support/tiny-model.js";

/** The tiny model without end of turn: every answer runs to max_tokens, so answers last. */
const endlessModel = () => tinyModelPath({ eosBias: -1000 });

const prompt = /> $/;

test(
  "issue 10 S4.1 interactive chat: Ctrl-C stops the answer, a failed turn is reported and the chat goes on, Ctrl-D ends",
  { timeout: 120_000 },
  async (t) => {
    const terminal = runInTerminal(["chat", "--model-file", await endlessModel(), "--max-tokens", "1800"]);
    t.after(() => terminal.kill());
    await terminal.waitFor(prompt);

    let mark = terminal.output().length;
    terminal.type("tell me a long story\r");
    await terminal.waitFor(/story\r*\n[\s\S]{20}/, mark); // the answer has begun
    terminal.type("\x03");
    await terminal.waitFor(/\(stopped\)[\s\S]*> $/, mark);

    // A message longer than the whole context: no turn left out can make it fit.
    mark = terminal.output().length;
    for (let i = 0; i < 12; i++) terminal.type("a b c d e f g h i j ".repeat(25));
    terminal.type("\r");
    await terminal.waitFor(/error: .*context[\s\S]*> $/, mark);

    mark = terminal.output().length;
    terminal.type("are you still there\r");
    await terminal.waitFor(/still there\r*\n[\s\S]{20}/, mark);
    terminal.type("\x03");
    await terminal.waitFor(/\(stopped\)[\s\S]*> $/, mark);

    terminal.type("\x04");
    assert.equal(await terminal.exited, 0);
    assert.doesNotMatch(terminal.output(), /\n\s+at /, "no stack trace");
  },
);

test(
  "issue 10 S4.1 interactive chat with the local model leaves out the oldest turns when the context is full, and says so",
  { timeout: 120_000 },
  async (t) => {
    // Each answer is 1,200 tokens of a 2,048-token context: the second question no longer fits with the first turn.
    const terminal = runInTerminal(["chat", "--model-file", await endlessModel(), "--max-tokens", "1200"]);
    t.after(() => terminal.kill());
    await terminal.waitFor(prompt);
    let mark = terminal.output().length;
    terminal.type("first\r");
    await terminal.waitFor(/first\r*\n[\s\S]+> $/, mark);
    mark = terminal.output().length;
    terminal.type("second\r");
    await terminal.waitFor(/the oldest turn was left out[\s\S]+> $/, mark);
    terminal.type("\x03"); // Ctrl-C at the prompt ends the chat
    assert.equal(await terminal.exited, 0);
  },
);
