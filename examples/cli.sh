#!/usr/bin/env bash
# examples/cli.sh: after `npm run build`, `lake` is in node_modules/.bin; from the repository root:
#   PATH="$PWD/node_modules/.bin:$PATH" bash examples/cli.sh
set -euo pipefail
dir=$(mktemp -d)
cd "$dir"
printf '{"id":1,"day":"2024-05-01"}\n{"id":2,"day":"2024-05-02"}\n' > events.ndjson
lake ingest events.ndjson ./events --partition-by day
printf '{"id":3,"day":"2024-05-02","note":"late"}\n' | lake ingest - ./events --schema-mode merge
lake history ./events --format csv
lake read ./events
lake vacuum ./events                                      # dry run
cd / && rm -rf "$dir"
