// Test cases for upstash-secret-inlined-by-build-config.yaml: next.config.js.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  env: {
    // ruleid: upstash-secret-in-next-config-env
    UPSTASH_REDIS_REST_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN,
    // ruleid: upstash-secret-in-next-config-env
    redisToken: process.env.KV_REST_API_TOKEN,
    // ruleid: upstash-secret-in-next-config-env
    "QSTASH_TOKEN": process.env["QSTASH_TOKEN"] ?? "",
    // ruleid: upstash-secret-in-next-config-env
    signingKey: process.env.QSTASH_CURRENT_SIGNING_KEY,
    // ok: upstash-secret-in-next-config-env
    UPSTASH_REDIS_REST_URL: process.env.UPSTASH_REDIS_REST_URL,
    // ok: upstash-secret-in-next-config-env
    KV_REST_API_READ_ONLY_TOKEN: process.env.KV_REST_API_READ_ONLY_TOKEN,
    // ok: upstash-secret-in-next-config-env
    SITE_NAME: "demo",
  },
  // ok: upstash-secret-in-next-config-env
  serverRuntimeConfig: { token: process.env.UPSTASH_REDIS_REST_TOKEN },
  publicRuntimeConfig: {
    // ruleid: upstash-secret-in-next-public-runtime-config
    upstashRedisToken: process.env.UPSTASH_REDIS_REST_TOKEN,
    // ruleid: upstash-secret-in-next-public-runtime-config
    cache: process.env.KV_REST_API_TOKEN,
    // ok: upstash-secret-in-next-public-runtime-config
    upstashRedisUrl: process.env.UPSTASH_REDIS_REST_URL,
    // ok: upstash-secret-in-next-public-runtime-config
    readOnlyToken: process.env.KV_REST_API_READ_ONLY_TOKEN,
  },
};

module.exports = nextConfig;
