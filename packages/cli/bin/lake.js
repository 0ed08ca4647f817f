#!/usr/bin/env node
// The installed `lake` command. A committed shim (not in dist/) so that `npm ci` can link the bin
// before `npm run build` has produced dist/bin.js; the CLI itself lives in dist/bin.js.
import '../dist/bin.js'
