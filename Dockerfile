# syntax=docker/dockerfile:1
#
# One image for every Anmulong service. TypeScript runs through tsx (no build step); the
# service is chosen by the command, e.g. in docker-compose.yml:
#   node --import tsx subgraphs/registry/src/index.ts
#   node --import tsx gateway/src/index.ts
#   node --import tsx demo/src/cli.ts --uri mongodb://mongodb:27017

# Stage 1: only what `npm ci` reads (every workspace's package.json, the lock file, .npmrc),
# so the dependency layer below is rebuilt only when dependencies change, not on every source
# edit, and a new workspace (e.g. a new subgraph) needs no change here.
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && cp package-lock.json .npmrc /manifests/ \
 && find . \( -name node_modules -o -name .data \) -prune -o -name package.json -print \
    | xargs cp --parents -t /manifests

# Stage 2: the runtime image.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY --from=manifests /manifests/ ./
# Production dependencies only (tsx, the Apollo stack, mongoose, the explorer's GraphiQL/React
# bundles are all runtime dependencies); .npmrc keeps engine-strict on, so Node must be >= 20.19.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force
COPY . .
# Nothing is written under /app at run time (data lives in MongoDB and Keycloak). The access
# service's checkpoint-signing key and the gateway's access-log outbox live on volumes mounted
# under /var/lib/anmulong, created here so the volumes start out owned by the `node` user.
RUN mkdir -p /var/lib/anmulong/access /var/lib/anmulong/gateway && chown -R node:node /var/lib/anmulong
USER node
EXPOSE 4000 4001 4002 4003 4004 4005 4006 4007
CMD ["node", "--import", "tsx", "gateway/src/index.ts"]
