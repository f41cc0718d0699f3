// Test cases for upstash-hardcoded-qstash-token.
import { Client } from "@upstash/qstash";

// A Vite app's src/config.ts: the bundle ships it to every visitor.
export const config = {
  apiBase: "https://api.example.com",
  // ruleid: upstash-hardcoded-qstash-token
  qstashToken: "eyJVc2VySUQiOiJlZmJjMGVjOC1mOTM0LTQ5YTItOWIxYy04MDE1ZDBjMzI2ZTMiLCJQYXNzd29yZCI6IjIxNTQxYTI0ODE2NTg5Mjc5MWNjYjVjNDc0ODU1NzQ5In0=",
};

// ruleid: upstash-hardcoded-qstash-token
const QSTASH_TOKEN = `eyJVc2VySUQiOiJlZmJjMGVjOC1mOTM0LTQ5YTItOWIxYy04MDE1ZDBjMzI2ZTMiLCJQYXNzd29yZCI6IjIxNTQxYTI0ODE2NTg5Mjc5MWNjYjVjNDc0ODU1NzQ5In0=`;

export async function enqueue(job: unknown) {
  return fetch("https://qstash.upstash.io/v2/publish/https://example.com/api/job", {
    method: "POST",
    headers: { Authorization: `Bearer ${QSTASH_TOKEN}` },
    body: JSON.stringify(job),
  });
}

// upstash-hardcoded-write-token-in-sdk-client reports the literal given to the SDK client.
// ok: upstash-hardcoded-qstash-token
const client = new Client({ token: "eyJVc2VySUQiOiJlZmJjMGVjOC1mOTM0LTQ5YTItOWIxYy04MDE1ZDBjMzI2ZTMiLCJQYXNzd29yZCI6IjIxNTQxYTI0ODE2NTg5Mjc5MWNjYjVjNDc0ODU1NzQ5In0=" });

// ok: upstash-hardcoded-qstash-token
const fromEnv = new Client({ token: process.env.QSTASH_TOKEN! });

// ok: upstash-hardcoded-qstash-token
const placeholder = "eyJVc2VySUQiOiJ5b3VyLXVzZXItaWQiLCJQYXNzd29yZCI6InlvdXItcGFzc3dvcmQifQ==";
