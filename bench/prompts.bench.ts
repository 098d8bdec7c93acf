// Issue 13, prompts: rendering is linear in the size of the data. A 1.8 MB value through
// createMessages() (Mustache, the data mask, role markers, markdown images) against a plain
// rebuild of the same messages by hand (escape, trim, two objects), and the time per megabyte at
// 1.8 MB against at 0.18 MB. Three kinds of value: plain words, many short lines, and every
// character one that `{{value}}` escapes.
import { PromptTemplate } from "ai-inference/prompts";
import { compare, smoke, target } from "./support/harness.js";

const ROUNDS = smoke ? 2 : 9;
const SIZE = smoke ? 18_000 : 1_800_000;
const template = PromptTemplate.fromString("system:\nYou help.\n\nuser:\n{{question}}\n![a]({{url}})\n");
const url = "https://acct.blob.core.windows.net/c/cat.png?sv=1&sig=x";
let sink = 0;

function escapeByHand(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// The third value makes a 9 MB escaped text whose cost is V8's string replacement, which the
// plain rebuild pays too (and not linearly): that row is checked against the rebuild instead.
const values: [string, (size: number) => string, "linear" | "rebuild"][] = [
  ["words", (size) => "word ".repeat(size / 5), "linear"],
  ["lines", (size) => "a line of text & <b>\n".repeat(size / 21), "linear"],
  ["all escaped", (size) => "&".repeat(size), "rebuild"],
];

let met = true;
for (const [kind, make, check] of values) {
  const big = make(SIZE);
  const small = make(SIZE / 10);
  const made = template.createMessages({ question: big, url });
  const content = made[1].content as { type: string; text?: string }[];
  if (content[0].text !== escapeByHand(big).trim())
    throw new Error(`${kind}: createMessages gave another text`);
  const results = await compare({
    title: `prompts: createMessages with a ${(big.length / 1e6).toFixed(2)} MB value (${kind}) vs a plain rebuild`,
    reference: "plain rebuild",
    rounds: ROUNDS,
    contenders: [
      {
        name: "plain rebuild",
        run() {
          const messages = [
            { role: "system", content: "You help." },
            {
              role: "user",
              content: [
                { type: "text", text: escapeByHand(big).trim() },
                { type: "image_url", image_url: { url } },
              ],
            },
          ];
          sink += messages.length;
        },
      },
      {
        name: "createMessages, 1.8 MB",
        run() {
          sink += template.createMessages({ question: big, url }).length;
        },
      },
      {
        name: "createMessages ×10 at 0.18 MB",
        run() {
          for (let i = 0; i < 10; i++) sink += template.createMessages({ question: small, url }).length;
        },
      },
    ],
  });
  const whole = results.find((r) => r.name === "createMessages, 1.8 MB")!;
  const tenth = results.find((r) => r.name === "createMessages ×10 at 0.18 MB")!;
  met =
    check === "linear"
      ? target(`${kind}: time per MB at 1.8 MB ÷ at 0.18 MB`, whole.ratio / tenth.ratio, "<=", 1.5) && met
      : target(`${kind}: createMessages ÷ plain rebuild at 1.8 MB`, whole.ratio, "<=", 2) && met;
}
console.log(sink > 0 ? "" : "?");
if (!met) process.exitCode = 1;
