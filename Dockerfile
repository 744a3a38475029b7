# syntax=docker/dockerfile:1

# guestflow's three programs in one image; docker-compose.yml picks one with
# `command:` (worker, webhook, or starter). The builder runs on the build
# machine's platform and cross-compiles, so multi-platform builds stay fast.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS TARGETARCH
# Static binaries: the runtime image has no libc. Time zones are compiled in
# (config imports time/tzdata).
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/ ./worker ./webhook ./starter

# No shell and no package manager; runs as uid 65532. CA certificates for the
# vendors' HTTPS come with the image.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/worker /out/webhook /out/starter /usr/local/bin/
# The webhook's hooks, the worker's and the webhook's ops endpoints.
EXPOSE 8080 9090 9091
CMD ["worker"]
