// Type-checked copies of documentation examples, compiled under strict by `npm run typecheck`;
// test/types/docs-examples.test.ts checks that each block between the markers appears verbatim in
// its page. Prettier leaves this folder alone (.prettierignore), so the copies stay verbatim.
// <doc-block page="docs/models.md">
import { ChatCompletions, UserMessage, TextContentItem, ImageContentItem, ImageUrl } from "ai-inference";

const completions = ChatCompletions.fromJSON(responseText); // or .fromDict(parsedJson)
completions.choices[0].message.content;      // typed view
completions.created;                         // a Date (the wire holds seconds)
completions.get("system_fingerprint");       // mapping view: any key, wire name
completions.get("created");                  // the wire value: a number of seconds
JSON.stringify(completions);                 // exactly the wire JSON received

const messages = [
  new UserMessage("What is in this picture?"),
  new UserMessage([
    new TextContentItem({ text: "And this one?" }),
    new ImageContentItem({ imageUrl: await ImageUrl.load("photo.png", "png", "low") }),
  ]),
];
// </doc-block>
import type { Attributes } from "ai-inference";
// <doc-block page="docs/models.md">
class Answer extends ChatCompletions {
  #notes: string[] = [];
  constructor(attributes?: Attributes<ChatCompletions>) {
    super({ ...attributes, model: attributes?.model ?? "default" });
  }
  get text(): string {
    return this.choices[0]?.message.content ?? "";
  }
}
Answer.fromJSON(responseText).text;
// </doc-block>
import { InputAudio, ImageEmbeddingInput, type EmbeddingItem } from "ai-inference";
// <doc-block page="docs/models.md">
await ImageUrl.load("photo.png", "png", "high");     // data:image/png;base64,...
await InputAudio.load(bytes, "wav");                   // bare base64 data + format
await ImageEmbeddingInput.load(blob, "jpeg", "caption");
item.embeddingAsFloat32();                             // Float32Array from float or base64 encodings
// </doc-block>

declare const responseText: string;
declare const bytes: Uint8Array;
declare const blob: Blob;
declare const item: EmbeddingItem;
void messages;
