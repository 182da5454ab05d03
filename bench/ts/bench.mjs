// Drives the official TypeScript Agent SDK through the benchmark's workloads against the given CLI binary and fake
// Messages API. Usage: node bench.mjs <baseUrl> <cliPath> <home> <calls> <pauseMs> <turns> <conversations> <conversationTurns>
//
// Driven by the .NET side (TypeScriptSdk.cs) line by line: after the warm-up and after each workload it prints
// "@idle" and reads a command, "run <workload>" or "quit". Around each measured row it prints "@begin <workload>" and
// "@end <workload> <json>", each answered with "ok" once the driver has counted the CLI processes (all of them are
// descendants of the driver, so it counts both sides the same way); "@done <json>" closes the run.
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { createSdkMcpServer, query, startup, tool } from "@anthropic-ai/claude-agent-sdk";
import { z } from "zod";

const [baseUrl, cliPath, home, ...numbers] = process.argv.slice(2);
const [calls, pauseMs, turns, conversations, conversationTurns] = numbers.map(Number);

// The machine's environment, as the connector's CLIs get it, less the credentials the connector side removes too:
// whatever the machine sets that the CLI reads at start-up (certificate bundles such as NODE_EXTRA_CA_CERTS cost
// ~17 ms per start here) falls on both sides alike. The SDK's `env` replaces the environment rather than adding to it.
const { ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN, ...machineEnv } = process.env;

const options = {
  pathToClaudeCodeExecutable: cliPath,
  model: "claude-sonnet-4-5",
  systemPrompt: "",
  tools: [],
  settingSources: [],
  persistSession: false,
  includePartialMessages: true,
  cwd: home,
  env: {
    ...machineEnv,
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-bench",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_MAX_RETRIES: "0",
    ENABLE_TOOL_SEARCH: "false",
  },
};

// The tool workload's options: one in-process MCP tool, as the connector offers a kernel function. A server instance
// serves one conversation, so each call gets its own.
const withLookupTool = () => ({
  ...options,
  mcpServers: {
    bench: createSdkMcpServer({
      name: "bench",
      tools: [tool("lookup", "Looks up the value stored under a key", { key: z.string() }, async ({ key }) => ({ content: [{ type: "text", text: `value of ${key}` }] }))],
    }),
  },
  allowedTools: ["mcp__bench__lookup"],
});

const driver = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function read() {
  const line = await driver.next();
  if (line.done) {
    throw new Error("the .NET driver went away");
  }
  return line.value;
}

async function tell(line) {
  process.stdout.write(line + "\n");
  await read();
}

const isTextDelta = (message) =>
  message.type === "stream_event" && message.event?.type === "content_block_delta" && message.event.delta?.type === "text_delta";

// One call: a new conversation of one turn, through query() or a startup() handle. Timed to the end of the
// iteration, which is when a caller can go on.
async function once(prompt, warm, callOptions = options) {
  const start = performance.now();
  let firstToken = null;
  let text = null;
  for await (const message of (warm ? warm.query(prompt) : query({ prompt, options: callOptions }))) {
    if (firstToken === null && isTextDelta(message)) {
      firstToken = performance.now() - start;
    }
    if (message.type === "result") {
      text = message.result;
    }
  }
  if (!text) {
    throw new Error("no result");
  }
  return { total: performance.now() - start, firstToken };
}

// One live conversation: a single query() whose input is a generator that yields the next user message only after
// the previous turn's result arrived, as a chat UI would. Each turn is timed from handing over the message to its
// result; the total runs from the query() call (so it includes the spawn) to the last result.
async function conversation(prefix, count, warm = null) {
  const latencies = [];
  const firstTokens = [];
  let results = 0;
  let wake = null;
  let turnStart = 0;
  let firstToken = null;
  const resultsReached = (n) => new Promise((resolve) => {
    const check = () => (results >= n ? resolve() : (wake = check));
    check();
  });

  async function* input() {
    for (let turn = 0; turn < count; turn++) {
      await resultsReached(turn);
      turnStart = performance.now();
      firstToken = null;
      yield { type: "user", message: { role: "user", content: `${prefix} turn ${turn}` }, parent_tool_use_id: null, session_id: "" };
    }
    // Ending the input ends the process: only after the last answer.
    await resultsReached(count);
  }

  const start = performance.now();
  let total = null;
  for await (const message of (warm ? warm.query(input()) : query({ prompt: input(), options }))) {
    if (firstToken === null && isTextDelta(message)) {
      firstToken = performance.now() - turnStart;
    }
    if (message.type === "result") {
      if (message.is_error) {
        throw new Error("turn failed: " + JSON.stringify(message));
      }
      latencies.push(performance.now() - turnStart);
      firstTokens.push(firstToken);
      results++;
      if (results === count) {
        total = performance.now() - start;
      }
      const waiting = wake;
      wake = null;
      waiting?.();
    }
  }
  if (results !== count) {
    throw new Error(`conversation ended after ${results} of ${count} turns`);
  }
  return { latencies, firstTokens, total };
}

async function sequence(label, count, run) {
  const latencies = [];
  const firstTokens = [];
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const r = await run(`${label} ${i}`, i);
    latencies.push(r.total);
    firstTokens.push(r.firstToken);
  }
  return { latencies, firstTokens, total: performance.now() - start };
}

// floor: the row does less than the connector's (no history), so it is shown but not compared against.
// pair: prepared before the clock starts, compared only with the connector's row of the same pair.
async function workload(key, how, run, floor = false, pair = undefined) {
  await tell(`@begin ${key}`);
  const measured = await run();
  await tell(`@end ${key} ${JSON.stringify({ how, floor, pair, ...measured })}`);
}

const workloads = {
  // 1. New conversations with a pause between them (untimed): query() per call, and a startup() handle prepared
  // during the pause (the pause lasts at least as long as startup() takes).
  async paced() {
    await workload("paced", "query() per call", () => sequence("paced", calls, async (prompt) => {
      await sleep(pauseMs);
      return once(prompt);
    }));
    await workload("paced", "startup() during the pause, then query", () => sequence("paced warm", calls, async (prompt) => {
      const [warm] = await Promise.all([startup({ options }), sleep(pauseMs)]);
      return once(prompt, warm);
    }));
  },

  // 2. The same back to back: query() per call, and startup() kept one call ahead (the next handle starts as a call
  // begins; a call waits for its handle if it is not ready yet, and that wait is timed; the first call starts its own).
  async "back-to-back"() {
    await workload("back-to-back", "query() per call", () => sequence("b2b", calls, (prompt) => once(prompt)));
    let ahead = null;
    await workload("back-to-back", "startup() one call ahead", () => sequence("b2b warm", calls, async (prompt, i) => {
      const start = performance.now();
      const warm = await (ahead ?? startup({ options }));
      const waited = performance.now() - start;
      ahead = i + 1 < calls ? startup({ options }) : null;
      const r = await once(prompt, warm);
      return { total: performance.now() - start, firstToken: waited + r.firstToken };
    }));
  },

  // 3. A conversation of `turns` turns: the SDK cannot take a structured history per query(), so (a) separate
  // query() calls with only the new prompt, the per-call floor, and (b) one live streaming-input session.
  async conversation() {
    await workload("conversation", "query() per turn, new prompt only (floor, not the same work)", () => sequence("floor", turns, (prompt) => once(prompt)), true);
    await workload("conversation", "one streaming-input session", () => conversation("conv", turns));
    // The counterpart of the connector's WarmUpAsync row: a startup() handle made before the clock starts.
    const warm = await startup({ options });
    await workload("conversation", "startup() handle made untimed first, then one streaming-input session", () => conversation("conv warm", turns, warm), false, "warm");
  },

  // 4. A new conversation in which the model calls a tool three times, one call after another, before it answers
  // (the fake API asks for the calls): query() per call, and startup() kept one call ahead.
  async tools() {
    await workload("tools", "query() per call, SDK MCP tool", () => sequence("tools", calls, (prompt) => once(prompt, null, withLookupTool())));
    let ahead = null;
    await workload("tools", "startup() one call ahead, SDK MCP tool", () => sequence("tools warm", calls, async (prompt, i) => {
      const start = performance.now();
      const warm = await (ahead ?? startup({ options: withLookupTool() }));
      const waited = performance.now() - start;
      ahead = i + 1 < calls ? startup({ options: withLookupTool() }) : null;
      const r = await once(prompt, warm);
      return { total: performance.now() - start, firstToken: waited + r.firstToken };
    }));
  },

  // 5. `conversations` streaming-input sessions of `conversationTurns` turns, all at once; the total is the wall time.
  async concurrent() {
    await workload("concurrent", "streaming-input sessions, all at once", async () => {
      const start = performance.now();
      const all = await Promise.all(Array.from({ length: conversations }, (_, c) => conversation(`c${c}`, conversationTurns)));
      return {
        latencies: all.flatMap((r) => r.latencies),
        firstTokens: all.flatMap((r) => r.firstTokens),
        total: performance.now() - start,
      };
    });
  },
};

// As on the .NET side: a plain call and a tool call, so that neither side's figures pay for compiling its code paths.
await once("warm-up");
await once("warm-up tools", null, withLookupTool());
for (;;) {
  process.stdout.write("@idle\n");
  const command = await read();
  if (command === "quit") {
    break;
  }
  await workloads[command.slice("run ".length)]();
}

process.stdout.write(`@done ${JSON.stringify({ rssMb: process.memoryUsage().rss / (1024 * 1024) })}\n`);
process.exit(0);
