# syntax=docker/dockerfile:1
# pg-trickle-webhook container image. Build from the repository root:
#   docker build -t ghcr.io/trickle-labs/pg-trickle-webhook:0.1.0 .
# Stage 1 compiles the TypeScript; stage 2 carries only dist/ and production dependencies.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force \
 && mkdir -p /app/certs && chown 65532:65532 /app/certs
COPY --from=build /app/dist ./dist
# Numeric, so Kubernetes' runAsNonRoot can verify it without an /etc/passwd lookup.
USER 65532:65532
# 8443 HTTPS admission, 8080 /healthz /readyz /metrics
EXPOSE 8443 8080
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
