// ANSI-mode runtime errors: integer and decimal overflow, division by zero, invalid casts, bad LIKE
// patterns are ExpressionError with a code and the expression text, never a silent NULL or wrap.

import { describe, expect, it } from 'vitest'
import { compileExpression, ExpressionError } from '../../src/expr/index.js'
import { CONTEXT, SCOPE } from './scope.js'

const ROW = { i: 2147483647, l: 9223372036854775807n, sh: 32767, d: '99999999.99', f: 1.5, s: 'abc', n: null }

describe('ANSI runtime errors', () => {
  it.each([
    ['i + 1', 'ArithmeticError', 'overflow: expected 2147483647 + 1 to fit integer, found 2147483648'],
    ['-i - 2', 'ArithmeticError', 'overflow'],
    ['i * 2', 'ArithmeticError', 'overflow'],
    ['sh + CAST(1 AS smallint)', 'ArithmeticError', 'to fit short'],
    ['l + 1', 'ArithmeticError', 'to fit long, found 9223372036854775808'],
    ['-CAST(-2147483648 AS int)', 'ArithmeticError', 'overflow'],
    ['i / 0', 'ArithmeticError', 'division by zero: expected a non-zero divisor'],
    ['i % 0', 'ArithmeticError', 'division by zero'],
    ['l % 0', 'ArithmeticError', 'division by zero'],
    ['f / 0', 'ArithmeticError', 'division by zero'],
    ['d / 0', 'ArithmeticError', 'division by zero'],
    ['CAST(d AS decimal(4, 2))', 'ArithmeticError', 'cannot cast 99999999.99 to decimal(4,2): overflow'],
    ['CAST(l AS int)', 'ArithmeticError', 'cannot cast 9223372036854775807 to integer: overflow'],
    ['CAST(1e10 AS int)', 'ArithmeticError', 'overflow'],
    ['CAST(CAST(1e400 AS double) AS bigint)', 'ArithmeticError', 'overflow'],
    ['CAST(s AS int)', 'InvalidCast', "cannot cast 'abc' to integer: expected a value of that type"],
    ['CAST(s AS date)', 'InvalidCast', "cannot cast 'abc' to date"],
    ['CAST(s AS boolean)', 'InvalidCast', "cannot cast 'abc' to boolean"],
    ["CAST('1e3' AS int)", 'InvalidCast', "cannot cast '1e3' to integer"],
    ["s LIKE 'a\\b'", 'InvalidArgument', "invalid LIKE pattern 'a\\b'"],
    ["s LIKE 'a\\'", 'InvalidArgument', 'after the escape at index 1'],
  ])('%s fails with %s', (text, code, message) => {
    const compiled = compileExpression(text, SCOPE, CONTEXT)
    let thrown: unknown
    try {
      compiled.evaluate([ROW])
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(ExpressionError)
    expect(thrown).toMatchObject({ code, message: expect.stringContaining(message), context: expect.objectContaining({ expression: compiled.sql }) })
    expect((thrown as Error).message).toContain(`in '${compiled.sql}'`)
  })

  it('does not fail on a NULL operand or an untaken branch', () => {
    expect(compileExpression('n / 0', SCOPE, CONTEXT).evaluate([ROW])).toBeNull()
    expect(compileExpression('CASE WHEN f > 1 THEN 1 ELSE i / 0 END', SCOPE, CONTEXT).evaluate([ROW])).toBe(1)
    expect(compileExpression('coalesce(i, i / 0)', SCOPE, CONTEXT).evaluate([ROW])).toBe(2147483647)
    expect(compileExpression('f > 9 AND i / 0 > 1', SCOPE, CONTEXT).evaluate([ROW])).toBe(false)
  })
})
