# promotion-bot: built with the dev dependencies, run with the production ones only.
#   docker build -t promotion-bot .
#   docker run --init --cap-drop ALL --cap-add SETUID --cap-add SETGID --cap-add KILL \
#     --security-opt no-new-privileges -p 3000:3000 --env-file .env \
#     -v "$PWD/pipeline.yml:/app/pipeline.yml:ro" promotion-bot
# Steps of kind `run` execute inside this container as the unprivileged `promotion-step` user: the bot stays root
# (with every capability dropped but SETUID, SETGID and KILL) only so that it can start steps as that user, who
# cannot read the bot's process, environment or secret files. README: "Running steps as another user".
# Extend the image with the tools your deploy scripts need.

# The Slack stand-in (packages/standin) is here only because `promotion-bot demo` compiles against it; the image
# ships neither it nor what only it needs, so `promotion-bot demo` in the image says that the demo needs a clone.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/standin/package.json ./packages/standin/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY packages/standin ./packages/standin
COPY src ./src
RUN npm run build

# No packages/ here, and no workspaces either way: the bot's own production dependencies only.
FROM node:24-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --workspaces=false --no-audit --no-fund && npm cache clean --force

FROM node:24-slim
# The rollback chart (@resvg/resvg-js) draws its text with a system font.
RUN apt-get update \
  && apt-get install -y --no-install-recommends fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10002 promotion-step \
  && useradd --system --uid 10002 --gid 10002 --home-dir /nonexistent --shell /usr/sbin/nologin promotion-step
ENV NODE_ENV=production \
    PORT=3000 \
    PIPELINE_FILE=/app/pipeline.yml \
    STEP_USER=promotion-step
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.yml manifest.socket-mode.yml pipeline.example.yml ./
EXPOSE 3000
# No curl in a slim image: node asks /healthz itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/cli.js", "start"]
