// Test cases for upstash-hardcoded-token-in-sdk-client.yaml: Upstash over TCP with ioredis and
// node-redis, where the token is the password. Every credential below was generated with
// detect_secrets_upstash.tokens and belongs to no account.
import Redis, { Redis as IORedis } from "ioredis";
import { createClient } from "redis";

export const redis = new Redis({
  host: "eager-mole-20871.upstash.io",
  port: 6379,
  username: "default",
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  password: "AVGHAAIncDFjZGU3NmJjZTI2NDE0MjU1MTZkYjExYjlhYWJiN2Q5OHAxMjA4NzE",
  tls: {},
});

export const byUrl = new Redis(process.env.UPSTASH_REDIS_URL!, {
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  password: "AVGHAAIncDFjZGU3NmJjZTI2NDE0MjU1MTZkYjExYjlhYWJiN2Q5OHAxMjA4NzE",
  tls: {},
});

// ruleid: upstash-hardcoded-write-token-in-sdk-client
export const byPort = new Redis(6379, "eager-mole-20871.upstash.io", { password: "AVGHAAIncDFjZGU3NmJjZTI2NDE0MjU1MTZkYjExYjlhYWJiN2Q5OHAxMjA4NzE", tls: {} });

export const nodeRedis = createClient({
  url: "rediss://eager-mole-20871.upstash.io:6379",
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  password: "AVGHAAIncDFjZGU3NmJjZTI2NDE0MjU1MTZkYjExYjlhYWJiN2Q5OHAxMjA4NzE",
});

export const reader = new Redis({
  host: "eager-mole-20871.upstash.io",
  username: "default_ro",
  // ruleid: upstash-hardcoded-read-only-token-in-sdk-client
  password: "AlGHAAIgcDE-ylBdpy2rV0cmvDOxoWKfcAnejbokEFs3Jy_w8xKUqg",
  tls: {},
});

// ioredis under another import name
export const renamed = new IORedis({
  host: "clear-heron-30208.upstash.io",
  port: 6379,
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  password: "ATmyAAIncDEwMTc2NmVjN2FjYTI1ODNhNjE3NTI2ZmFmOWFkODQ1ZHAxMTQ3NzA",
  tls: { rejectUnauthorized: false },
});

// a literal fallback behind the environment is still in the code
export const fallback = new IORedis({
  host: process.env.REDIS_HOST ?? "clear-heron-30208.upstash.io",
  // ruleid: upstash-hardcoded-write-token-in-sdk-client
  password: process.env.REDIS_PASSWORD || "AXh2AAIncDFjZWY1NTU1ZWFjZjNmZDU0MWEyNDlkN2MxZDU0ODgwM3AxMzA4Mzg",
  tls: {},
});

// --- correct code ---
export const fromEnv = new Redis({
  host: process.env.REDIS_HOST,
  // ok: upstash-hardcoded-write-token-in-sdk-client
  password: process.env.UPSTASH_REDIS_REST_TOKEN,
  tls: {},
});
// A local server's password is not an Upstash token.
// ok: upstash-hardcoded-write-token-in-sdk-client
export const local = new Redis({ host: "localhost", password: "s3cr3t-local-dev-password" });
