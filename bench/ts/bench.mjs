// Drives the official TypeScript Agent SDK against the given CLI binary and fake Messages API, and prints the
// measurements as one JSON object on stdout. Usage: node bench.mjs <baseUrl> <cliPath> <home> <calls> <concurrency>
import { query, startup } from "@anthropic-ai/claude-agent-sdk";

const [baseUrl, cliPath, home, callsArg, concurrencyArg] = process.argv.slice(2);
const calls = Number(callsArg);
const concurrency = Number(concurrencyArg);

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
    PATH: process.env.PATH,
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-bench",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    CLAUDE_CODE_MAX_RETRIES: "0",
    ENABLE_TOOL_SEARCH: "false",
  },
};

async function once(prompt, warm) {
  const start = performance.now();
  let firstToken = null;
  let text = null;
  for await (const message of (warm ? warm.query(prompt) : query({ prompt, options }))) {
    if (firstToken === null && message.type === "stream_event" && message.event?.type === "content_block_delta" && message.event.delta?.type === "text_delta") {
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

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

await once("warm-up");
const sequential = [];
for (let i = 0; i < calls; i++) {
  sequential.push(await once(`call ${i}`));
}

// Warm: a startup() handle prepared before each call (untimed, as if between a user's messages), then one query.
const warmRuns = [];
for (let i = 0; i < calls; i++) {
  const warm = await startup({ options });
  warmRuns.push(await once(`warm ${i}`, warm));
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, (_, i) => once(`parallel ${i}`)));
const concurrentWall = performance.now() - started;

console.log(JSON.stringify({
  callMedianMs: median(sequential.map((r) => r.total)),
  firstTokenMedianMs: median(sequential.map((r) => r.firstToken)),
  warmCallMedianMs: median(warmRuns.map((r) => r.total)),
  warmFirstTokenMedianMs: median(warmRuns.map((r) => r.firstToken)),
  concurrentWallMs: concurrentWall,
  concurrency,
  rssMb: process.memoryUsage().rss / (1024 * 1024),
}));
