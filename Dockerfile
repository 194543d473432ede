# Multi-stage build: the web UI in a Node image, the binary (UI embedded) in the Rust image,
# then a slim Debian with the one binary.
FROM node:20-bookworm-slim AS ui
WORKDIR /ui
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npx tsc -b && AUTHNODE_UI_OUT=/ui/dist npx vite build

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
COPY --from=ui /ui/dist /ui-dist
RUN AUTHNODE_UI_DIST=/ui-dist cargo build --release --locked && strip target/release/authnode

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /data --create-home authnode
COPY --from=build /src/target/release/authnode /usr/local/bin/authnode
USER authnode
WORKDIR /data
ENV AUTHNODE_LISTEN=0.0.0.0:8080 AUTHNODE_DATA_DIR=/data AUTHNODE_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["authnode"]
CMD ["serve"]
