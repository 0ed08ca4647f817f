// Typing of the expression language: result types (Spark's numeric widening and decimal precision
// rules) and bind-time type errors with their positions.

import { describe, expect, it } from 'vitest'
import { bindExpression, bindPredicate, compileAssignment, compileCondition, compileExpression, expressionType, typeName } from '../../src/expr/index.js'
import { CONTEXT, SCHEMA, SCOPE } from './scope.js'

const typeOf = (text: string): string => typeName(expressionType(bindExpression(text, SCOPE)))

describe('result types', () => {
  it.each([
    ['i', 'integer'],
    ['1', 'integer'],
    ['2147483648', 'long'],
    ['99999999999999999999', 'decimal(20,0)'],
    ['1.50', 'decimal(3,2)'],
    ['.5', 'decimal(1,1)'],
    ['1e3', 'double'],
    ['NULL', 'void'],
    ["X'00FF'", 'binary'],
    ['i + sh', 'integer'],
    ['sh + sh', 'short'],
    ['i + l', 'long'],
    ['i / sh', 'double'],
    ['l % i', 'long'],
    ['i + fl', 'float'],
    ['l + fl', 'float'],
    ['fl + f', 'double'],
    ['d + f', 'double'],
    // DecimalPrecision: + - max(p1-s1, p2-s2) + max(s1,s2) + 1
    ['d + d', 'decimal(11,2)'],
    ['d - 1.5', 'decimal(11,2)'],
    ['d + i', 'decimal(13,2)'],
    ['d + l', 'decimal(23,2)'],
    ['d + 1', 'decimal(11,2)'],
    // * p1+p2+1, s1+s2
    ['d * d', 'decimal(21,4)'],
    ['d * 2', 'decimal(12,2)'],
    // / scale max(6, s1+p2+1), precision p1-s1+s2+scale
    ['d / d', 'decimal(23,13)'],
    ['d / 3', 'decimal(14,6)'],
    // % min(p1-s1, p2-s2) + max(s1,s2), max(s1,s2)
    ['d % 3', 'decimal(3,2)'],
    // bounded to 38 digits, keeping a scale of at least 6
    ['CAST(d AS decimal(38, 10)) * CAST(d AS decimal(38, 10))', 'decimal(38,6)'],
    ['CAST(d AS decimal(38, 2)) + 1', 'decimal(38,2)'],
    ['-d', 'decimal(10,2)'],
    ["s || 'x'", 'string'],
    ['length(s)', 'integer'],
    ['upper(i)', 'string'],
    ['CASE WHEN b THEN i ELSE l END', 'long'],
    ['CASE WHEN b THEN i ELSE d END', 'decimal(12,2)'],
    ['CASE WHEN b THEN 1 END', 'integer'],
    ['CASE WHEN b THEN dt ELSE ts END', 'timestamp'],
    ['coalesce(n, sh, l)', 'long'],
    ['coalesce(n, f)', 'double'],
    ['CAST(s AS decimal)', 'decimal(10,0)'],
    ['CAST(s AS tinyint)', 'byte'],
    ['current_timestamp()', 'timestamp'],
    ['current_date()', 'date'],
    ['i > 1', 'boolean'],
    ["s LIKE 'a%'", 'boolean'],
  ])('%s has type %s', (text, type) => {
    expect(typeOf(text)).toBe(type)
  })
})

describe('type errors at bind time', () => {
  it.each([
    ["i + 'a'", "expected a numeric operand of '+', found string", 5],
    ['-s', "expected a numeric operand of unary '-', found string", 2],
    ['b * 2', "expected a numeric operand of '*', found boolean", 1],
    ["i = 'a'", "column 'i' has type integer: expected a literal of type integer, found string 'a'", 5],
    ['i = s', "cannot compare column 'i' of type integer with column 's' of type string", 5],
    ['i + 1 = s', "cannot compare expression 'i + 1' of type integer with column 's' of type string", 9],
    ["CASE WHEN b THEN 1 ELSE 'x' END", 'CASE branches have incompatible types: expected integer, found string', 25],
    ['CASE WHEN i THEN 1 END', "column 'i' has type integer: expected a literal of type integer, found true", 11],
    ['coalesce(i, s)', 'coalesce() arguments have incompatible types: expected integer, found string', 13],
    ['CAST(dt AS int)', 'cannot CAST date AS integer', 1],
    ['CAST(st AS string)', 'cannot CAST struct AS string', 1],
    ['CAST(i AS varchar2)', "expected a type name (boolean, tinyint, smallint, int, bigint, float, double, decimal(p, s), string, binary, date, timestamp, timestamp_ntz), found 'varchar2'", 11],
    ['CAST(i AS decimal(40, 2))', 'expected decimal(p, s) with 1 <= p <= 38 and 0 <= s <= p, found decimal(40, 2)', 11],
    ['upper(s, s)', 'upper() takes 1 arguments, found 2', 1],
    ['substring(s)', 'substring() takes 2 to 3 arguments, found 1', 1],
    ['coalesce()', 'coalesce() takes at least 1 arguments, found 0', 1],
    ['current_date(1)', 'current_date() takes 0 arguments, found 1', 1],
    ['nope(i)', 'unknown function nope(): expected one of coalesce, upper, lower, trim, length, concat, substring, substr, current_timestamp, current_date', 1],
    ['substring(s, s)', 'substring() expects integer arguments, found string', 14],
    ['length(st)', 'length() expects string arguments, found struct', 8],
    ['i LIKE 1', 'expected a string operand of LIKE, found integer', 1],
    ["s LIKE 'a' ESCAPE 'ab'", "expected a one-character ESCAPE string, found 'ab'", 19],
    ['x + 1', 'unknown column \'x\': expected one of i, l, sh, d, f, fl, s, b, dt, ts, ntz, bin, st, n, ns', 1],
    ['st.y', "unknown column 'st.y': expected one of x", 1],
    ["X'ABC' = bin", "expected an even number of hex digits in X'...', found 'ABC'", 1],
    ['i + ', 'expected a column or a literal, found end of input', 5],
    ['CASE i END', "expected WHEN, found 'END'", 8],
    ['CASE WHEN b THEN 1', 'expected END, found end of input', 19],
    ['CAST(i int)', "expected AS, found 'int'", 8],
  ])('%s: %s at position %i', (text, message, position) => {
    expect(() => compileExpression(text, SCOPE, CONTEXT)).toThrow(
      expect.objectContaining({ code: 'InvalidPredicate', message: expect.stringContaining(message), context: expect.objectContaining({ position }) }),
    )
  })

  it('names the expression in the message and context of a compile error, and the predicate in the context of a bind error', () => {
    expect(() => compileExpression("i + 'a'", SCOPE, CONTEXT)).toThrow(
      expect.objectContaining({
        message: "invalid expression 'i + 'a'': expected a numeric operand of '+', found string at position 5",
        context: { position: 5, expression: "i + 'a'" },
      }),
    )
    expect(() => bindPredicate('nope = 1', SCHEMA)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/^invalid predicate: unknown column 'nope'/), context: expect.objectContaining({ column: 'nope', position: 1, expression: 'nope = 1' }) }),
    )
  })

  it('refuses a non-boolean condition, naming the expression', () => {
    expect(() => compileCondition('i + 1', SCOPE, CONTEXT)).toThrow(
      expect.objectContaining({ code: 'InvalidPredicate', message: expect.stringContaining("expected a boolean condition, found 'i + 1' of type integer"), context: expect.objectContaining({ expression: 'i + 1' }) }),
    )
  })

  it.each([
    ['i', { kind: 'primitive', name: 'long' }, 7n],
    ['l', { kind: 'primitive', name: 'integer' }, 'ArithmeticError'],
    ['d', { kind: 'primitive', name: 'double' }, 12.5],
    ['i', { kind: 'decimal', precision: 5, scale: 1 }, '7.0'],
    ['i', { kind: 'primitive', name: 'string' }, '7'],
    ['dt', { kind: 'primitive', name: 'timestamp' }, '2024-03-01T00:00:00.000000Z'],
    ['NULL', { kind: 'primitive', name: 'date' }, null],
    ['n', { kind: 'primitive', name: 'short' }, null],
  ] as const)('assigns %s to %o as %o (store assignment casts)', (text, target, expected) => {
    const compiled = compileAssignment(text, SCOPE, CONTEXT, target)
    expect(compiled.type).toEqual(target)
    if (expected === 'ArithmeticError') expect(() => compiled.evaluate([{ l: 10000000000n }])).toThrow(expect.objectContaining({ code: 'ArithmeticError' }))
    else expect(compiled.evaluate([{ i: 7, d: '12.50', dt: '2024-03-01', n: null }])).toEqual(expected)
  })

  it.each([
    ['s', { kind: 'primitive', name: 'integer' }, 'string'],
    ['b', { kind: 'primitive', name: 'date' }, 'boolean'],
    ['st', { kind: 'primitive', name: 'string' }, 'struct'],
    ['i', { kind: 'primitive', name: 'boolean' }, 'integer'],
  ] as const)('refuses to assign %s to %o', (text, target, found) => {
    expect(() => compileAssignment(text, SCOPE, CONTEXT, target)).toThrow(
      expect.objectContaining({ code: 'InvalidPredicate', message: expect.stringContaining(`cannot assign '${text}' of type ${found} to a column of type ${typeName(target)}`) }),
    )
  })
})
