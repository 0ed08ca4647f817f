// exitCodeOf and errorReport: error codes map to the documented exit codes; reports are one line
// plus a hint, with stacks only in debug mode.

import { CommitConflictError, InvalidArgumentError, TableError } from '@lake/core'
import { LakeError, StorageError } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { errorReport } from '../src/error-report.js'
import { EXIT, EXIT_CODES_HELP, exitCodeOf } from '../src/exit-codes.js'
import { UsageError } from '../src/usage-error.js'

describe('exitCodeOf', () => {
  it.each<[string, unknown, number]>([
    ['TableNotFound', new TableError('TableNotFound', 'x'), 3],
    ['VersionNotFound', new TableError('VersionNotFound', 'x'), 3],
    ['TimestampOutOfRange', new TableError('TimestampOutOfRange', 'x'), 3],
    ['CommitConflict', new LakeError('CommitConflict', 'x'), 4],
    ['CommitAttemptsExhausted', new LakeError('CommitAttemptsExhausted', 'x'), 4],
    ['SafetyCheck', new LakeError('SafetyCheck', 'x'), 5],
    ['usage', new UsageError('x'), 2],
    ['InvalidArgument', new InvalidArgumentError('x'), 2],
    ['InvalidPredicate', new LakeError('InvalidPredicate', 'x'), 2],
    ['Aborted', new StorageError('Aborted', 'x'), 130],
    ['NotFound (storage)', new StorageError('NotFound', 'x'), 1],
    ['a plain Error', new Error('x'), 1],
  ])('%s exits %i', (_name, err, code) => {
    expect(exitCodeOf(err)).toBe(code)
  })

  it('documents every exit code in the help text', () => {
    for (const code of Object.values(EXIT)) expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code} `, 'm'))
  })

  it('maps a real conflict error to 4', () => {
    expect(exitCodeOf(Object.create(CommitConflictError.prototype, { code: { value: 'CommitConflict' } }))).toBe(4)
  })
})

describe('errorReport', () => {
  it('prints one error line and a hint, without a stack', () => {
    const lines = errorReport(new TableError('VersionNotFound', 'version 9 of t cannot be read'), false)
    expect(lines).toEqual(['error: version 9 of t cannot be read', "hint: run 'lake history <uri>' to see the versions that exist"])
  })

  it('hints at both forms of the SQL language for an invalid predicate or value expression', () => {
    const lines = errorReport(new LakeError('InvalidPredicate', "invalid expression '1 +': expected a column or a literal, found end of input at position 4"), false)
    expect(lines[1]).toMatch(/^hint: .*docs\/expressions\.md.*predicates like .*values like /)
  })

  it('keeps Help: lines of multi-line messages', () => {
    const lines = errorReport(new LakeError('CommitConflict', 'conflict at 3\nHelp: retry'), false)
    expect(lines).toContain('Help: retry')
  })

  it('adds the stack and causes with --debug', () => {
    const lines = errorReport(new UsageError('bad', 'try this', { cause: new Error('root') }), true)
    expect(lines[1]).toBe('hint: try this')
    expect(lines.join('\n')).toMatch(/at .*\n[\s\S]*caused by: Error: root/)
  })
})
