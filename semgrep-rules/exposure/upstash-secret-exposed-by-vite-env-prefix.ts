// Test cases for upstash-secret-exposed-by-vite-env-prefix (vite.config.* contents).
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// ---- misuse -------------------------------------------------------------------------------

export const upstashPrefix = defineConfig({
  plugins: [react()],
  // ruleid: upstash-secret-exposed-by-vite-env-prefix
  envPrefix: ["VITE_", "UPSTASH_"],
});

// ruleid: upstash-secret-exposed-by-vite-env-prefix
export const vercelKv = defineConfig({ envPrefix: "KV_" });

export const qstashOnly = defineConfig(({ mode }) => ({
  base: mode === "production" ? "/app/" : "/",
  // ruleid: upstash-secret-exposed-by-vite-env-prefix
  envPrefix: ["VITE_", 'QSTASH_'],
}));

// Everything: Vite refuses "" at start-up today, but older versions did not.
// ruleid: upstash-secret-exposed-by-vite-env-prefix
export const everything = { envPrefix: "" };

// A prefix shorter than the names still covers them (UPSTASH_..., KV_..., REDIS_URL).
// ruleid: upstash-secret-exposed-by-vite-env-prefix
export const tooShort = defineConfig({ envPrefix: ["VITE_", "U"] });
// ruleid: upstash-secret-exposed-by-vite-env-prefix
export const redisOnes = defineConfig({ envPrefix: `REDIS_` });
// ruleid: upstash-secret-exposed-by-vite-env-prefix
export const redisToken = defineConfig({ envPrefix: ["UPSTASH_REDIS_REST_"] });

// Astro passes Vite options through `vite`.
export const astro = {
  vite: {
    // ruleid: upstash-secret-exposed-by-vite-env-prefix
    envPrefix: ["PUBLIC_", "UPSTASH_VECTOR_"],
  },
};

// ---- correct ------------------------------------------------------------------------------

// ok: upstash-secret-exposed-by-vite-env-prefix
export const defaults = defineConfig({ envPrefix: "VITE_" });
// ok: upstash-secret-exposed-by-vite-env-prefix
export const several = defineConfig({ envPrefix: ["VITE_", "PUBLIC_", "APP_"] });
// Names that are not secrets: the read-only token, public REST URLs, a PUBLIC_ family.
// ok: upstash-secret-exposed-by-vite-env-prefix
export const readOnly = defineConfig({ envPrefix: ["VITE_", "KV_REST_API_READ_ONLY_"] });
// ok: upstash-secret-exposed-by-vite-env-prefix
export const restUrl = defineConfig({ envPrefix: ["UPSTASH_REDIS_REST_URL"] });
// ok: upstash-secret-exposed-by-vite-env-prefix
export const upstashPublic = defineConfig({ envPrefix: ["UPSTASH_PUBLIC_"] });
// Lower case names are not Upstash's.
// ok: upstash-secret-exposed-by-vite-env-prefix
export const lower = defineConfig({ envPrefix: ["kv_"] });
