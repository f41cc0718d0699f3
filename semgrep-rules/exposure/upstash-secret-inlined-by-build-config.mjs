// Test cases for upstash-secret-inlined-by-build-config.yaml: vite.config.mjs and webpack.
import { defineConfig, loadEnv } from "vite";
import webpack from "webpack";

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), "");
  return {
    define: {
      // ruleid: upstash-secret-in-bundler-define
      "process.env.UPSTASH_REDIS_REST_TOKEN": JSON.stringify(process.env.UPSTASH_REDIS_REST_TOKEN),
      // ruleid: upstash-secret-in-bundler-define
      __REDIS_TOKEN__: JSON.stringify(env.KV_REST_API_TOKEN),
      // ok: upstash-secret-in-bundler-define
      "process.env.UPSTASH_REDIS_REST_URL": JSON.stringify(env.UPSTASH_REDIS_REST_URL),
      // ok: upstash-secret-in-bundler-define
      __APP_VERSION__: JSON.stringify("1.0.0"),
    },
  };
});

export const plugins = [
  new webpack.DefinePlugin({
    // ruleid: upstash-secret-in-bundler-define
    "process.env.QSTASH_TOKEN": JSON.stringify(process.env.QSTASH_TOKEN),
    // ok: upstash-secret-in-bundler-define
    "process.env.NODE_ENV": JSON.stringify("production"),
  }),
];

// The whole environment inlined: every UPSTASH_* / QSTASH_* secret of the build machine.
export const wholeEnv = defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), "");
  return {
    define: {
      // ruleid: upstash-secret-in-bundler-define
      "process.env": env,
    },
  };
});

export const spreadEnv = defineConfig({
  define: {
    // ruleid: upstash-secret-in-bundler-define
    "process.env": { ...process.env },
  },
});

export const onlyPublic = defineConfig(({ mode }) => {
  // the default prefix loads VITE_* only
  const env = loadEnv(mode, process.cwd());
  return {
    define: {
      // ok: upstash-secret-in-bundler-define
      "process.env": env,
      // ok: upstash-secret-in-bundler-define
      "import.meta.env.APP_MODE": JSON.stringify(mode),
    },
  };
});

// Stubs that define a server-only name OUT of the client bundle: no secret is inlined.
export const stubbed = defineConfig({
  define: {
    // ok: upstash-secret-in-bundler-define
    "process.env.UPSTASH_REDIS_REST_TOKEN": "undefined",
    // ok: upstash-secret-in-bundler-define
    "process.env.QSTASH_TOKEN": '""',
    // ok: upstash-secret-in-bundler-define
    "process.env.QSTASH_CURRENT_SIGNING_KEY": JSON.stringify(undefined),
    // ok: upstash-secret-in-bundler-define
    "process.env.KV_REST_API_TOKEN": "null",
    // ok: upstash-secret-in-bundler-define
    "import.meta.env.UPSTASH_VECTOR_REST_TOKEN": JSON.stringify(""),
    // ruleid: upstash-secret-in-bundler-define
    "process.env.UPSTASH_REDIS_REST_TOKEN_FALLBACK": JSON.stringify(process.env.REDIS_SECRET ?? ""),
  },
});

// @rollup/plugin-replace (rollup.config.mjs) rewrites the same way.
import replace from "@rollup/plugin-replace";

export const rollupPlugins = [
  replace({
    preventAssignment: true,
    // ruleid: upstash-secret-in-bundler-define
    "process.env.QSTASH_TOKEN": JSON.stringify(process.env.QSTASH_TOKEN),
    // ok: upstash-secret-in-bundler-define
    "process.env.NODE_ENV": JSON.stringify("production"),
  }),
  replace({
    values: {
      // ruleid: upstash-secret-in-bundler-define
      __KV_TOKEN__: JSON.stringify(process.env.KV_REST_API_TOKEN),
      // ok: upstash-secret-in-bundler-define
      "process.env.UPSTASH_REDIS_REST_TOKEN": "undefined",
    },
  }),
];
