# Image of one native connector: the compiled dist/, package.json and production node_modules on the
# node base. Built by images/build-images.sh --native <connector> from a staged context.
ARG BASE=airdock-base/node:20
FROM ${BASE}
ARG CONNECTOR
RUN test -n "${CONNECTOR}"
WORKDIR /airbyte/app
COPY package.json package.json
COPY node_modules node_modules
COPY dist dist
RUN test -f "dist/native-connectors/${CONNECTOR}/main.js"
ENV AIRBYTE_ENTRYPOINT="node /airbyte/app/dist/native-connectors/${CONNECTOR}/main.js" NODE_ENV=production CONNECTOR=${CONNECTOR}
LABEL io.airbyte.name=airdock/${CONNECTOR}
USER node
ENTRYPOINT ["/bin/sh", "-c", "exec node /airbyte/app/dist/native-connectors/$CONNECTOR/main.js \"$@\"", "--"]
