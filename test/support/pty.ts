// Runs the built CLI in a pseudo-terminal, as a person at a terminal runs it: util-linux `script`
// gives the command a terminal for stdin and stdout (so readline is interactive and Ctrl-C is a
// keystroke, not a signal from outside). Tests type into it and wait for what it prints.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { cliPath } from "./run-cli.js";

export interface Terminal {
  /** Everything the terminal showed so far (the echo of what was typed included). */
  readonly output: () => string;
  /** Types `text` (use "\r" for Enter, "\x03" for Ctrl-C, "\x04" for Ctrl-D). */
  type(text: string): void;
  /** Resolves once the output after `from` (an offset in it) matches `pattern`. */
  waitFor(pattern: RegExp, from?: number): Promise<string>;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  kill(): void;
}

const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

export function runInTerminal(args: string[], env: Record<string, string> = {}): Terminal {
  const command = [process.execPath, cliPath, ...args].map(quote).join(" ");
  // -q: no banner, -f: flush at once, -e: the command's exit code, -c: the command.
  const child: ChildProcessWithoutNullStreams = spawn("script", ["-qfec", command, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", TERM: "dumb", ...env },
  });
  let output = "";
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout.setEncoding("utf8").on("data", (text: string) => {
    output += text;
    wake();
  });
  child.stderr.setEncoding("utf8").on("data", (text: string) => {
    output += text;
    wake();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      resolve(code);
      wake();
    }),
  );
  let done = false;
  void exited.then(() => (done = true));
  return {
    output: () => output,
    type: (text) => child.stdin.write(text),
    waitFor: (pattern, from = 0) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output.slice(from));
          if (match) {
            waiters.delete(check);
            resolve(match[0]);
          } else if (done) {
            waiters.delete(check);
            reject(new Error(`the terminal closed before ${pattern} appeared:\n${output}`));
          }
        };
        waiters.add(check);
        check();
      }),
    exited,
    kill: () => child.kill("SIGKILL"),
  };
}
