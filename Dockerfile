# enphase-etl container image: build the distribution with Maven, run its bin/enphase-etl on a JRE as a non-root user.
#   docker build -t enphase-etl .
#   docker run -v enphase-data:/data -p 8080:8080 enphase-etl      (no gateway configured: built-in simulator)

# ---- build ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# the wrapper and the POM first, so that dependencies are a cached layer of their own
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY tooling tooling
RUN chmod +x mvnw && ./mvnw -B -q -Dservices.skip=true dependency:go-offline || true
COPY src src
# the distribution packs the routes, the docs, deploy/ and the README next to the application
COPY routes routes
COPY docs docs
COPY deploy deploy
COPY README.md ./
RUN ./mvnw -B -DskipTests -Dservices.skip=true -Dformat.skip=true package

# ---- run ----
# Java 21: the launcher keeps a class data sharing archive of the application on Java 19 and later (faster start,
# less metaspace); the code targets Java 17 and runs on 17 to 25
FROM eclipse-temurin:21-jre
# curl for the HEALTHCHECK (installed explicitly rather than relying on the base image having it)
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 enphase \
 && useradd --system --uid 10001 --gid enphase --home-dir /app --shell /usr/sbin/nologin enphase \
 && mkdir -p /data \
 && chown enphase:enphase /data

# the distribution (docs/operations.md#distribution): bin/enphase-etl, lib/quarkus-app, routes/, config/, docs/
COPY --from=build /src/target/enphase-etl-*.tar.gz /tmp/
RUN mkdir -p /app && tar xzf /tmp/enphase-etl-*.tar.gz --strip-components=1 -C /app && rm /tmp/enphase-etl-*.tar.gz
WORKDIR /data

# the launcher finds /app/routes and /app/config/application.yaml itself; JAVA_OPTS replaces its JVM options
ENV ENPHASE_ROUTES_DIR=/app/routes \
    ENPHASE_DATA_DIR=/data \
    JAVA_OPTS_APPEND=""
VOLUME /data
EXPOSE 8080
USER enphase

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/q/health/ready > /dev/null || exit 1

ENTRYPOINT ["/app/bin/enphase-etl"]
CMD ["run"]
