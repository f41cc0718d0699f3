// Test cases for upstash-hardcoded-redis-url.yaml. Every credential below was generated with
// detect_secrets_upstash.tokens and belongs to no account.
import Redis from "ioredis";
import { createClient } from "redis";

// ruleid: upstash-hardcoded-redis-url
export const redis = new Redis("rediss://default:ASeLAAIncDFmZDJmNzg3Y2E3MWYxZmViMmYwM2NjYjQzM2JhYTYxY3AxMTAxMjM@noble-gecko-10123.upstash.io:6379");

export const wide = createClient({
  // ruleid: upstash-hardcoded-redis-url
  url: `rediss://:gQAAAAAAAdYZAAIgcDFlYjcwNWRmZDAxMzlkZWYyYzA0Y2JkMDJkOTY2MmY5Ng@smooth-gecko-120345.upstash.io:6379`,
});

// A legacy database: 32 hex characters, the port is the database id.
// ruleid: upstash-hardcoded-redis-url
const legacyUrl = "redis://default:f63031774550aa07c0d536e162a2858d@us1-noble-gecko-10123.upstash.io:10123";
export const legacy = new Redis(legacyUrl);

// ruleid: upstash-hardcoded-redis-url
const viaKv = new Redis("rediss://default:ASeLASQgNTcyNzc3ZDgtZGNlNS00ZWJlLWIxODMtYWQzNzY1MWI1N2NkAST6tBhbh1OktplJtfD61jmo2LAG-xCMD6JFwG99AAk=@noble-gecko-10123.kv.vercel-storage.com:6379");

// ruleid: upstash-hardcoded-read-only-redis-url
export const reader = new Redis("rediss://default_ro:AieLAAIgcDHBxU-nfkQF-JerXpuuxyT6OJvrZ6SUAhc9IEaMZfwcaQ@noble-gecko-10123.upstash.io:6379");

// --- correct code ---
// ok: upstash-hardcoded-redis-url
export const fromEnv = new Redis(process.env.UPSTASH_REDIS_URL!);
// ok: upstash-hardcoded-redis-url
export const built = new Redis(`rediss://default:${process.env.UPSTASH_REDIS_PASSWORD}@noble-gecko-10123.upstash.io:6379`);
// ok: upstash-hardcoded-redis-url
const documented = "rediss://default:<PASSWORD>@<ENDPOINT>.upstash.io:6379";
// ok: upstash-hardcoded-redis-url
const local = new Redis("redis://default:f63031774550aa07c0d536e162a2858d@localhost:6379");
// A look-alike host: not Upstash's.
// ok: upstash-hardcoded-redis-url
const elsewhere = new Redis("rediss://default:f63031774550aa07c0d536e162a2858d@noble-gecko-10123.upstash.io.example.com:6379");
