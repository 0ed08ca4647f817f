// The quick-start job, run by `npm run quickstart` after the build: with the `lake` CLI it creates
// a partitioned Delta table from the sample data in fixtures/events/, ingests it in parallel
// (exactly once, by app id), appends rows that add a column (mergeSchema), replaces one partition
// (replaceWhere), then shows history and reads an earlier version. The table: ./tmp/quickstart/events
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const lake = fileURLToPath(new URL('../packages/cli/bin/lake.js', import.meta.url))
const table = 'tmp/quickstart/events'
const bold = (text) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${text}\u001b[0m` : text)

function step(title, args) {
  console.log(`\n${bold(`== ${title}`)}\n$ lake ${args.map((a) => (/[\s'*]/.test(a) ? `"${a}"` : a)).join(' ')}`)
  const result = spawnSync(process.execPath, [lake, ...args], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`quick start failed at: lake ${args.join(' ')} (exit ${result.status})`)
    process.exit(result.status ?? 1)
  }
}

rmSync(`${root}${table}`, { recursive: true, force: true })
step('1. create a table partitioned by date', ['create', table, '--schema', 'fixtures/events/schema.json', '--partition-by', 'date'])
step('2. ingest 10,000 events: 4 batches, encoded in parallel, exactly once under an app id', [
  'ingest', 'fixtures/events/events.ndjson', table, '--app-id', 'quickstart-load', '--batch-rows', '2500', '--concurrency', '2',
])
step('   run it again: the app id makes it a no-op', ['ingest', 'fixtures/events/events.ndjson', table, '--app-id', 'quickstart-load', '--batch-rows', '2500'])
step('3. append events with a new column, country (mergeSchema)', ['ingest', 'fixtures/events/events-with-country.ndjson', table, '--schema-mode', 'merge'])
step("4. replace the partition date = '2024-01-03' with corrected events (replaceWhere)", [
  'ingest', 'fixtures/events/events-2024-01-03-corrected.ndjson', table, '--mode', 'overwrite', '--replace-where', "date = '2024-01-03'",
])
step('5. history, newest first', ['history', table, '--format', 'table'])
step('6. the schema now', ['schema', table, '--format', 'table'])
step("7. read 2024-01-03 as of version 4 (before the replace) and now", ['read', table, '--version', '4', '--where', "date = '2024-01-03'", '--limit', '3', '--format', 'table'])
step('', ['read', table, '--where', "date = '2024-01-03'", '--limit', '3', '--format', 'table'])
step('8. the table in one line per property', ['describe', table, '--format', 'table'])
console.log(`\n${bold('done:')} ${table} is a plain Delta table; try: npx lake files ${table}`)
