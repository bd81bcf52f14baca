# syntax=docker/dockerfile:1
# One image for every quotecast component: `docker run quotecast:0.1.0 <command>` (serve, process,
# train, fetch, backfill, topics, run, evaluate). Node runs the TypeScript sources directly (type
# stripping), so there is no build step: the image holds src/, web/, data/ and the production
# dependencies. The Node version matches the `node` devDependency in package.json.

FROM node:24.21.0-trixie-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; none of them needs an install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

FROM node:24.21.0-trixie-slim AS runtime
ENV NODE_ENV=production \
  LOG_FORMAT=json
WORKDIR /app
# npm and corepack are not needed at run time: fewer files, fewer advisories.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
  /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
# Owned by root and read-only for the app user, so the root filesystem can be mounted read-only;
# the only writable place the app needs is /tmp (an emptyDir or tmpfs).
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json package-lock.json ./
COPY data ./data
COPY web ./web
COPY src ./src
# The node user of the base image, by number so that runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 8080 9464
ENTRYPOINT ["node", "src/cli.ts"]
CMD ["--help"]
