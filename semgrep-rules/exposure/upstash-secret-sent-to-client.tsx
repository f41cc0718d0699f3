// Test cases for upstash-secret-returned-from-loader and upstash-secret-in-jsx-prop.
import { json } from "@remix-run/node";
import { Redis } from "@upstash/redis";
import { env } from "$env/dynamic/private";
import { QSTASH_TOKEN, UPSTASH_REDIS_REST_URL } from "$env/static/private";
import { CacheMeter } from "./cache-meter";

// ---- misuse: loaders ---------------------------------------------------------------------

// Remix root loader feeding `window.ENV`.
export async function loader() {
  return json({
    PUBLIC: {
      CACHE_URL: process.env.UPSTASH_REDIS_REST_URL,
      // ruleid: upstash-secret-returned-from-loader
      CACHE_TOKEN: process.env.UPSTASH_REDIS_REST_TOKEN,
    },
  });
}

// SvelteKit +page.server.ts: dynamic private env, arrow with an object body.
export const load = async () => ({
  kvUrl: env.KV_REST_API_URL,
  // ruleid: upstash-secret-returned-from-loader
  kvToken: env.KV_REST_API_TOKEN,
});

// A static private import returned in shorthand.
export function getServerSideProps() {
  return {
    // ruleid: upstash-secret-returned-from-loader
    props: { UPSTASH_REDIS_REST_URL, QSTASH_TOKEN },
  };
}

// ---- misuse: JSX ------------------------------------------------------------------------

export default function Dashboard() {
  return (
    <main>
      <CacheMeter
        url={process.env.UPSTASH_REDIS_REST_URL!}
        // ruleid: upstash-secret-in-jsx-prop
        token={process.env.UPSTASH_REDIS_REST_TOKEN!}
      />
      <script
        // ruleid: upstash-secret-in-jsx-prop
        data-queue-token={process.env["QSTASH_TOKEN"] ?? ""}
      />
    </main>
  );
}

// ---- correct ----------------------------------------------------------------------------

const redis = new Redis({ url: process.env.UPSTASH_REDIS_REST_URL!, token: process.env.UPSTASH_REDIS_REST_TOKEN! });

// The loader uses the token on the server and returns only the result.
export async function clientLoader() {
  const views = await redis.incr("views");
  // ok: upstash-secret-returned-from-loader
  const hits = await fetch(`${process.env.UPSTASH_REDIS_REST_URL}/get/hits`, { headers: { Authorization: `Bearer ${process.env.UPSTASH_REDIS_REST_TOKEN}` } });
  return json({
    views,
    hits: await hits.json(),
    // ok: upstash-secret-returned-from-loader
    readToken: process.env.KV_REST_API_READ_ONLY_TOKEN,
    // ok: upstash-secret-returned-from-loader
    client: String(new Redis({ url: process.env.UPSTASH_REDIS_REST_URL!, token: process.env.UPSTASH_REDIS_REST_TOKEN! })),
  });
}

// Some other exported function may return a token to server callers.
export function redisConfig() {
  // ok: upstash-secret-returned-from-loader
  return { url: process.env.UPSTASH_REDIS_REST_URL, token: process.env.UPSTASH_REDIS_REST_TOKEN };
}

export async function Stats() {
  return (
    <section>
      <CacheMeter
        url={process.env.UPSTASH_REDIS_REST_URL!}
        // ok: upstash-secret-in-jsx-prop
        token={process.env.KV_REST_API_READ_ONLY_TOKEN!}
      />
      <CacheMeter
        views={await redis.get<number>("views")}
        // ok: upstash-secret-in-jsx-prop
        total={await countWith(process.env.UPSTASH_REDIS_REST_TOKEN!)}
      />
    </section>
  );
}

declare function countWith(token: string): Promise<number>;
