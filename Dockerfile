# syntax=docker/dockerfile:1
# post-editor-mcp over Streamable HTTP: docker run -p 3000:3000 -e MCP_HTTP_TOKEN=... -e BUTTERCMS_WRITE_TOKEN=... IMAGE
# Binding 0.0.0.0 makes MCP_HTTP_TOKEN mandatory: the server refuses to start without it.
# The `# syntax=` line must stay the very first line: BuildKit reads it only there.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; we build explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
# The bundler and the build-time tools/list (ADR 0160) are the only build tools the image needs.
COPY tools/bundle.mjs tools/listings.ts ./tools/
RUN npm run build && npm prune --omit=dev --ignore-scripts && rm -f dist/.tsbuildinfo

FROM node:20-slim
# The port is MCP_HTTP_PORT's (the server reads it; the health check too): `-e MCP_HTTP_PORT=8080 -p 8080:8080`.
ENV NODE_ENV=production \
    POST_EDITOR_DATA_DIR=/data \
    MCP_HTTP_PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The write journal (undo) lives in /data: mount a volume to keep it across containers.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE ${MCP_HTTP_PORT}
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.MCP_HTTP_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# CMD, not ENTRYPOINT, so a launcher (e.g. Smithery's stdio start) can run `node dist/index.js` itself.
# No --port: the server takes MCP_HTTP_PORT from the environment.
CMD ["node", "dist/index.js", "--http", "--host", "0.0.0.0"]
