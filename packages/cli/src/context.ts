// What every command gets: the IO, the stdout sink, the abort signal (SIGINT or a closed pipe),
// diagnostics on stderr, output-format resolution and storage options from the common flags.

import type { Command } from 'commander'
import { Option } from 'commander'
import type { CliIO } from './io.js'
import { FORMATS } from './output/emit.js'
import type { Format, Output } from './output/emit.js'
import { Sink } from './output/sink.js'
import { oneOf } from './parse-args.js'

/** Parsed options of a command, narrowed by the accessors below. */
export type Options = Readonly<Record<string, unknown>>

/** The per-run state commands use. */
export class Context {
  readonly io: CliIO
  readonly out: Sink
  readonly signal: AbortSignal

  constructor(io: CliIO) {
    this.io = io
    this.out = new Sink(io.stdout)
    this.signal = io.signal === undefined ? this.out.signal : AbortSignal.any([io.signal, this.out.signal])
  }

  /** Colors only on a terminal, and never with NO_COLOR set (https://no-color.org). */
  get color(): boolean {
    const noColor = this.io.env['NO_COLOR']
    return this.io.stdoutIsTTY && (noColor === undefined || noColor === '')
  }

  now(): number {
    return this.io.now?.() ?? Date.now()
  }

  /** A diagnostic line on stderr (never stdout, which carries data). */
  diag(line: string): void {
    this.io.stderr.write(`${line}\n`)
  }

  /** The output for a command: `--format`, else a table on a terminal and `fallback` in a pipe. */
  output(options: Options, fallback: Exclude<Format, 'table'>): Output {
    const chosen = options['format']
    const format: Format = typeof chosen === 'string' ? (chosen as Format) : this.io.stdoutIsTTY ? 'table' : fallback
    return { sink: this.out, format, style: { color: this.color, nullText: this.io.stdoutIsTTY ? 'NULL' : '' } }
  }

  /** `openStore` options from `--endpoint`/`--region` and the environment (`AWS_*`). */
  storage(options: Options): { s3: Record<string, unknown> } {
    const endpoint = stringOpt(options, 'endpoint')
    const region = stringOpt(options, 'region')
    return { s3: { env: this.io.env, ...(endpoint === undefined ? {} : { endpoint }), ...(region === undefined ? {} : { region }) } }
  }
}

/** Adds the options every command takes: --format, --endpoint, --region, --debug. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--format <format>', `output format: ${FORMATS.join(', ')} (default: table on a terminal, json/ndjson in a pipe)`).argParser(oneOf('--format', FORMATS)))
    .option('--endpoint <url>', 'S3-compatible endpoint URL (default: AWS_ENDPOINT_URL)')
    .option('--region <region>', 'S3 region (default: AWS_REGION, then us-east-1)')
    .option('--debug', 'print stack traces on errors')
}

/** Adds --version N and --timestamp T (mutually exclusive). */
export function withTimeTravel(cmd: Command, parseVersion: (text: string) => number): Command {
  return cmd
    .addOption(new Option('--version <n>', 'read this table version').argParser(parseVersion).conflicts('timestamp'))
    .addOption(new Option('--timestamp <t>', 'read the version current at this time (ISO-8601, date, or epoch ms; no zone = UTC)').conflicts('version'))
}

/** A string option, or undefined. */
export function stringOpt(options: Options, name: string): string | undefined {
  const v = options[name]
  return typeof v === 'string' ? v : undefined
}

/** A number option, or undefined. */
export function numberOpt(options: Options, name: string): number | undefined {
  const v = options[name]
  return typeof v === 'number' ? v : undefined
}

/** A list option, or undefined. */
export function listOpt(options: Options, name: string): string[] | undefined {
  const v = options[name]
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined
}

/** A boolean flag. */
export function flag(options: Options, name: string): boolean {
  return options[name] === true
}
