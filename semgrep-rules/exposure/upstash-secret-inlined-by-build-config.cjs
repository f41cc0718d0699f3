// Test cases for upstash-secret-inlined-by-build-config.yaml: Expo app.config.js.
module.exports = ({ config }) => ({
  ...config,
  name: "shop",
  extra: {
    // ruleid: upstash-secret-in-expo-extra
    upstashRedisRestToken: process.env.UPSTASH_REDIS_REST_TOKEN,
    // ruleid: upstash-secret-in-expo-extra
    cache: process.env.KV_REST_API_TOKEN,
    // ruleid: upstash-secret-in-expo-extra
    QSTASH_TOKEN: process.env.QSTASH_TOKEN ?? "",
    // ok: upstash-secret-in-expo-extra
    upstashRedisRestUrl: process.env.UPSTASH_REDIS_REST_URL,
    // ok: upstash-secret-in-expo-extra
    redisReadOnlyToken: process.env.KV_REST_API_READ_ONLY_TOKEN,
    // ok: upstash-secret-in-expo-extra
    eas: { projectId: "0f4b6a2e-1c3d-4e5f-8a9b-0c1d2e3f4a5b" },
  },
});

// Gatsby gatsby-node.js: onCreateWebpackConfig receives webpack's DefinePlugin as `plugins.define`.
exports.onCreateWebpackConfig = ({ actions, plugins }) => {
  actions.setWebpackConfig({
    plugins: [
      plugins.define({
        // ruleid: upstash-secret-in-bundler-define
        "process.env.UPSTASH_REDIS_REST_TOKEN": JSON.stringify(process.env.UPSTASH_REDIS_REST_TOKEN),
        // ruleid: upstash-secret-in-bundler-define
        __QSTASH__: JSON.stringify(process.env.QSTASH_TOKEN),
        // ok: upstash-secret-in-bundler-define
        "process.env.UPSTASH_REDIS_REST_URL": JSON.stringify(process.env.UPSTASH_REDIS_REST_URL),
      }),
    ],
  });
};

// webpack's EnvironmentPlugin is DefinePlugin for the process.env keys it names.
const webpack = require("webpack");
const { EnvironmentPlugin } = require("webpack");
module.exports.webpackConfig = {
  plugins: [
    new webpack.EnvironmentPlugin([
      // ok: upstash-secret-in-bundler-define
      "UPSTASH_REDIS_REST_URL",
      // ruleid: upstash-secret-in-bundler-define
      "UPSTASH_REDIS_REST_TOKEN",
    ]),
    new EnvironmentPlugin({
      NODE_ENV: "production",
      // ruleid: upstash-secret-in-bundler-define
      QSTASH_TOKEN: "",
    }),
    // ruleid: upstash-secret-in-bundler-define
    new EnvironmentPlugin("NODE_ENV", "KV_REST_API_TOKEN"),
    // ok: upstash-secret-in-bundler-define
    new EnvironmentPlugin(["NODE_ENV", "KV_REST_API_READ_ONLY_TOKEN"]),
  ],
};
