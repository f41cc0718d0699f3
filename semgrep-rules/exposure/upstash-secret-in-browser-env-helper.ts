// Test cases for upstash-secret-in-browser-env-helper (app/env.server.ts, Remix style).

export function getEnv() {
  return {
    MODE: process.env.NODE_ENV,
    // ruleid: upstash-secret-in-browser-env-helper
    UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN,
    // ok: upstash-secret-in-browser-env-helper
    UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL,
    // ok: upstash-secret-in-browser-env-helper
    KV_REST_API_READ_ONLY_TOKEN: process.env.KV_REST_API_READ_ONLY_TOKEN,
  };
}

export const getClientEnv = () => ({
  // ruleid: upstash-secret-in-browser-env-helper
  qstashToken: process.env.QSTASH_TOKEN,
  // ok: upstash-secret-in-browser-env-helper
  sentryDsn: process.env.SENTRY_DSN,
});

// Server-side helpers that merely read the environment are fine.
export function getRedisConfig() {
  return {
    url: process.env.UPSTASH_REDIS_REST_URL!,
    // ok: upstash-secret-in-browser-env-helper
    token: process.env.UPSTASH_REDIS_REST_TOKEN!,
  };
}

type ENV = ReturnType<typeof getEnv>;
declare global {
  interface Window {
    ENV: ENV;
  }
}
