# One image for every service; SERVICE picks which one runs (accounts, allocation, billing,
# enforcement, gateway or webhooks). better-sqlite3 compiles from source, hence the build tools.
FROM node:20-bookworm AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY testing/package.json testing/
COPY gateway/package.json gateway/
COPY scripts/package.json scripts/
COPY bench/package.json bench/
COPY faults/package.json faults/
COPY subgraphs/accounts/package.json subgraphs/accounts/
COPY subgraphs/allocation/package.json subgraphs/allocation/
COPY subgraphs/billing/package.json subgraphs/billing/
COPY subgraphs/enforcement/package.json subgraphs/enforcement/
COPY e2e/package.json e2e/
COPY examples/package.json examples/
RUN npm ci --no-audit --no-fund
COPY . .
# Build everything (the workspaces build in dependency order), then drop what only tests, the
# bench, the fault runs and e2e use: the test-support package, each package's test/ harness and
# the tooling workspaces. The runtime image carries shared, the subgraphs, the gateway and
# scripts (their dist/ and sources) and examples; compiled tests are not in any dist/ (each
# package's tsconfig.json leaves *.test.ts to tsconfig.test.json).
RUN npm run build \
  && rm -rf testing bench faults e2e subgraphs/*/test gateway/test \
    node_modules/@lic/testing node_modules/@lic/bench node_modules/@lic/faults node_modules/@lic/e2e

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production LISTEN_HOST=0.0.0.0
COPY --from=build /app /app
USER node
# exec: the service is PID 1 and gets SIGTERM itself (its graceful shutdown, README "Operations").
CMD ["sh", "-c", "exec node scripts/dist/service.js \"$SERVICE\""]
