# The operator image (no Docker on the build machines: written here, built by users and CI with
# Docker). The GoBGP sidecar is built from the same pinned module version; see scripts/versions.env.
ARG NODE_VERSION=24
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION} AS gobgp
ARG GOBGP_VERSION=4.8.0
RUN CGO_ENABLED=0 go install -trimpath -ldflags '-s -w' \
      github.com/osrg/gobgp/v4/cmd/gobgpd@v${GOBGP_VERSION} github.com/osrg/gobgp/v4/cmd/gobgp@v${GOBGP_VERSION} \
 && mkdir -p /proto/api && cp "$(go env GOMODCACHE)/github.com/osrg/gobgp/v4@v${GOBGP_VERSION}"/proto/api/*.proto /proto/api/ \
 && echo "${GOBGP_VERSION}" > /proto/VERSION

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY --from=gobgp /proto gen/proto/gobgp
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/generate-proto-types.ts scripts/
COPY src src
RUN node scripts/generate-proto-types.ts && npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:${NODE_VERSION}-bookworm-slim
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
# The compiled modules find package.json and the .proto files relative to themselves, i.e. in
# dist/ (test/deploy/image-layout.test.ts builds this same layout and runs the CLI from it).
COPY --from=build /app/gen/proto dist/gen/proto
COPY package.json dist/package.json
COPY --from=gobgp /go/bin/gobgpd /go/bin/gobgp /usr/local/bin/
# V8 flags: src/cli/node-flags.ts (bounds the heap of an agent holding a full table).
ENTRYPOINT ["node", "--max-old-space-size=256", "--max-semi-space-size=4", "dist/src/cli/main.js"]
