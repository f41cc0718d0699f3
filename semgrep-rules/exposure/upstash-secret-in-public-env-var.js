// Test cases for upstash-secret-in-public-env-var.yaml (SvelteKit and Astro, plain JS).
// ruleid: upstash-secret-in-public-env-var
import { PUBLIC_UPSTASH_REDIS_REST_TOKEN, PUBLIC_UPSTASH_REDIS_REST_URL } from '$env/static/public';
// ruleid: upstash-secret-in-public-env-var
import { PUBLIC_QSTASH_TOKEN as qstashToken } from '$env/static/public';
import { env } from '$env/dynamic/public';
// ok: upstash-secret-in-public-env-var
import { UPSTASH_REDIS_REST_TOKEN } from '$env/static/private';
// ok: upstash-secret-in-public-env-var
import { PUBLIC_UPSTASH_REDIS_REST_READ_ONLY_TOKEN } from '$env/static/public';

function dynamicToken() {
  // ruleid: upstash-secret-in-public-env-var
  return env.PUBLIC_KV_REST_API_TOKEN;
}

function dynamicUrl() {
  // ok: upstash-secret-in-public-env-var
  return env.PUBLIC_KV_REST_API_URL;
}

// Astro exposes PUBLIC_ through import.meta.env.
// ruleid: upstash-secret-in-public-env-var
const astroToken = import.meta.env.PUBLIC_UPSTASH_VECTOR_REST_TOKEN;
// ok: upstash-secret-in-public-env-var
const astroServer = import.meta.env.UPSTASH_VECTOR_REST_TOKEN;
