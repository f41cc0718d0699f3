// Test cases for upstash-secret-in-public-env-var.yaml.
import { Redis } from "@upstash/redis";
import { Index } from "@upstash/vector";
import { Client } from "@upstash/qstash";
import { createClient } from "redis";
import { env } from "@/env";

export const redis = new Redis({
  url: process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_URL!,
  // ruleid: upstash-secret-in-public-env-var
  token: process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN!,
});

export const kv = new Redis({
  url: import.meta.env.VITE_KV_REST_API_URL,
  // ruleid: upstash-secret-in-public-env-var
  token: import.meta.env.VITE_KV_REST_API_TOKEN,
});

// ruleid: upstash-secret-in-public-env-var
const qstash = new Client({ token: process.env["REACT_APP_QSTASH_TOKEN"] as string });

// ruleid: upstash-secret-in-public-env-var
const vectorToken = import.meta.env["PUBLIC_UPSTASH_VECTOR_REST_TOKEN"];

// ruleid: upstash-secret-in-public-env-var
const { EXPO_PUBLIC_UPSTASH_REDIS_REST_TOKEN } = process.env;

// ruleid: upstash-secret-in-public-env-var
const { GATSBY_MYAPP_KV_REST_API_TOKEN: gatsbyToken } = process.env;

// Vue CLI inlines VUE_APP_*, Nx NX_PUBLIC_*.
// ruleid: upstash-secret-in-public-env-var
const vueRedis = new Redis({ url: process.env.VUE_APP_UPSTASH_REDIS_REST_URL!, token: process.env.VUE_APP_UPSTASH_REDIS_REST_TOKEN! });

// ruleid: upstash-secret-in-public-env-var
const nxQstash = new Client({ token: process.env.NX_PUBLIC_QSTASH_TOKEN! });

// ruleid: upstash-secret-in-public-env-var
const { VITE_QSTASH_CURRENT_SIGNING_KEY, VITE_SITE_NAME } = import.meta.env;

// ruleid: upstash-secret-in-public-env-var
const nuxtPublic = process.env.NUXT_PUBLIC_REDIS_URL;

// ruleid: upstash-secret-in-public-env-var
const { NEXT_PUBLIC_UPSTASH_VECTOR_REST_TOKEN = "" } = process.env;

// ruleid: upstash-secret-in-public-env-var
let { VITE_UPSTASH_REDIS_REST_TOKEN: viteToken } = import.meta.env;

// ruleid: upstash-secret-in-public-env-var
const { env: { NEXT_PUBLIC_KV_REST_API_TOKEN } } = process;

// ruleid: upstash-secret-in-public-env-var
const optional = process.env?.NEXT_PUBLIC_QSTASH_TOKEN;

// ruleid: upstash-secret-in-public-env-var
const coalesced = String(process.env["NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN"] ?? "");

// ruleid: upstash-secret-in-public-env-var
export default { token: import.meta.env.PUBLIC_QSTASH_TOKEN };

// ruleid: upstash-secret-in-public-env-var
const templated = `Bearer ${process.env.NEXT_PUBLIC_UPSTASH_VECTOR_REST_TOKEN}`;

// --- correct code ---
// ok: upstash-secret-in-public-env-var
const serverToken = process.env.UPSTASH_REDIS_REST_TOKEN;
// ok: upstash-secret-in-public-env-var
const serverKv = process.env["KV_REST_API_TOKEN"];
// Read-only tokens in the browser are a documented choice.
// ok: upstash-secret-in-public-env-var
const readOnly = process.env.NEXT_PUBLIC_KV_REST_API_READ_ONLY_TOKEN;
// ok: upstash-secret-in-public-env-var
const readOnly2 = import.meta.env.VITE_UPSTASH_REDIS_REST_READONLY_TOKEN;
// The URL alone is not a credential.
// ok: upstash-secret-in-public-env-var
const url = process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_URL;
// ok: upstash-secret-in-public-env-var
const { NEXT_PUBLIC_SITE_URL, UPSTASH_REDIS_REST_TOKEN } = process.env;
// ok: upstash-secret-in-public-env-var
const other = process.env.NEXT_PUBLIC_ALGOLIA_SEARCH_KEY;
// ok: upstash-secret-in-public-env-var
const notEnv = config.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN;
// ok: upstash-secret-in-public-env-var
const index = new Index({ url: process.env.UPSTASH_VECTOR_REST_URL, token: process.env.UPSTASH_VECTOR_REST_TOKEN });

// A build-time guard (next.config.ts) that refuses secrets under public names is correct.
if (
  // ok: upstash-secret-in-public-env-var
  process.env.NEXT_PUBLIC_ANTHROPIC_API_KEY ||
  // ok: upstash-secret-in-public-env-var
  process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN
) {
  throw new Error("Secret env vars must not use the NEXT_PUBLIC_ prefix");
}
// ok: upstash-secret-in-public-env-var
if (import.meta.env.VITE_QSTASH_TOKEN) throw new Error("QSTASH_TOKEN must not be exposed to the client");

// But reading it anywhere else is still reported.
if (process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_URL) {
  // ruleid: upstash-secret-in-public-env-var
  console.log(process.env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN);
}

// A validated env object (t3-env `createEnv` in src/env.ts): `env.NEXT_PUBLIC_*` is inlined
// into the client bundle just as `process.env.NEXT_PUBLIC_*` is.
export const t3Redis = new Redis({
  // ok: upstash-secret-in-public-env-var
  url: env.NEXT_PUBLIC_UPSTASH_REDIS_REST_URL,
  // ruleid: upstash-secret-in-public-env-var
  token: env.NEXT_PUBLIC_UPSTASH_REDIS_REST_TOKEN,
});
// ruleid: upstash-secret-in-public-env-var
const fromRuntime = runtime.env.NEXT_PUBLIC_QSTASH_TOKEN;

// Short names seen in real apps: the SDK client's `url` is its REST URL (not a secret), the
// token beside it is the leak, in either order.
export const shortNames = new Redis({
  // ok: upstash-secret-in-public-env-var
  url: process.env.NEXT_PUBLIC_REDIS_URL!,
  // ruleid: upstash-secret-in-public-env-var
  token: process.env.NEXT_PUBLIC_REDIS_TOKEN!,
});
export const tokenFirst = new Redis({
  // ruleid: upstash-secret-in-public-env-var
  token: import.meta.env.VITE_REDIS_TOKEN,
  // ok: upstash-secret-in-public-env-var
  url: import.meta.env.VITE_KV_URL,
});
// A Redis connection URL (rediss://default:<password>@<db>.upstash.io:6379) holds the password.
// ruleid: upstash-secret-in-public-env-var
const nodeRedis = createClient({ url: process.env.NEXT_PUBLIC_REDIS_URL });
