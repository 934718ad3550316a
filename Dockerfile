# Multi-stage build: compile with the dev toolchain, ship only production dependencies, dist/ (with
# the pages' hashed assets in dist/public) and the message catalogues. Node 24: the long-term-support
# line with the most time left (package.json's engines lists every supported one).
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# `prepare` would build before the sources are here: install without scripts, then build the two
# packages that need theirs (better-sqlite3 compiles, esbuild fetches its binary from npm).
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3 esbuild
COPY tsconfig.json ./
COPY src ./src
COPY web ./web
COPY locales ./locales
COPY scripts/build-web.mjs scripts/openapi.ts ./scripts/
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# Metrics on a second port for Prometheus on the container network; not EXPOSEd (`docker run -P`
# would publish it) and published by no service of compose.yaml: the public port has no /metrics.
ENV NODE_ENV=production DATA_DIR=/data PORT=3000 METRICS_LISTEN=0.0.0.0:9464
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/locales ./locales
COPY package.json ./
COPY bin ./bin
# The data directory is the server's alone (0700), as the server would make it itself.
RUN install -d -m 0700 -o node -g node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
