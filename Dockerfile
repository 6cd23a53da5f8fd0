# pgconflint in a container: Debian 12 slim, the binary and its runtime libraries only,
# run as an unprivileged user.
#
#   docker build -t pgconflint:0.1.0 .
#   docker run --rm -v "$PWD:/src:ro" pgconflint:0.1.0 check /src/etc/postgresql/16/main
#
# The build stage uses the repository alone (no tests: -DBUILD_TESTING=OFF).
FROM debian:12-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config python3 tao-pegtl-dev libssl-dev libfmt-dev \
      libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libexpected-dev libldap-dev \
 && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
 && cmake --build /build --target pgconflint \
 && strip /build/pgconflint

FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libssl3 libfmt9 libldap-2.5-0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin pgconflint
COPY --from=build /build/pgconflint /usr/local/bin/pgconflint
COPY tools/pre-commit-pgconflint /usr/local/bin/pgconflint-pre-commit
USER pgconflint
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/pgconflint"]
CMD ["--help"]
