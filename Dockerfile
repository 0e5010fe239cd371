# One image for the five Kefu services; the compose file picks the executable per service.
# Build stage: Swift toolchain with the C client libraries' headers.
FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libhiredis-dev libpq-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Shared ./Shared
COPY Services ./Services
COPY Tests ./Tests
COPY Benchmarks ./Benchmarks
RUN swift build -c release --static-swift-stdlib \
      --product kefu-gateway --product kefu-routing --product kefu-store \
      --product kefu-knowledge --product kefu-reporting \
 && mkdir -p /out \
 && cd "$(swift build -c release --show-bin-path)" \
 && cp kefu-gateway kefu-routing kefu-store kefu-knowledge kefu-reporting /out/ \
 && (cp -R ./*.resources /out/ 2>/dev/null || true)

# Run stage: only the shared libraries the binaries link.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libhiredis0.14 libpq5 ca-certificates curl tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app kefu
WORKDIR /app
COPY --from=build /out/ /app/
USER kefu
ENV HTTP_HOST=0.0.0.0 LOG_FORMAT=json PATH=/app:$PATH
