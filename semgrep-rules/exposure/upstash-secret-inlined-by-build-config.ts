// Test cases for upstash-secret-inlined-by-build-config.yaml: nuxt.config.ts.
export default defineNuxtConfig({
  runtimeConfig: {
    // Private keys are only available on the server: correct.
    // ok: upstash-secret-in-nuxt-public-runtime-config
    upstashRedisRestToken: process.env.UPSTASH_REDIS_REST_TOKEN,
    // ok: upstash-secret-in-nuxt-public-runtime-config
    qstashToken: "",
    public: {
      // ok: upstash-secret-in-nuxt-public-runtime-config
      upstashRedisRestUrl: process.env.UPSTASH_REDIS_REST_URL,
      // ruleid: upstash-secret-in-nuxt-public-runtime-config
      upstashRedisRestToken: process.env.UPSTASH_REDIS_REST_TOKEN,
      // Overridden at run time by NUXT_PUBLIC_QSTASH_TOKEN.
      // ruleid: upstash-secret-in-nuxt-public-runtime-config
      qstashToken: "",
      // ruleid: upstash-secret-in-nuxt-public-runtime-config
      cacheAuth: process.env.KV_REST_API_TOKEN,
      // ok: upstash-secret-in-nuxt-public-runtime-config
      redisReadOnlyToken: process.env.KV_REST_API_READ_ONLY_TOKEN,
      // ok: upstash-secret-in-nuxt-public-runtime-config
      siteName: "demo",
    },
  },
});
