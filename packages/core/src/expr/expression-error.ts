// The error of evaluating an expression on a row (ANSI mode): integer overflow, division by zero, a
// value that does not cast, a bad LIKE pattern. Codes `ArithmeticError` / `InvalidCast` / `InvalidArgument`; context names the expression
// text when known and the offending value.

import { LakeError } from '@lake/storage'
import type { ErrorContext, LakeErrorCode, LakeErrorOptions } from '@lake/storage'

/** Codes of ExpressionError. */
export type ExpressionErrorCode = Extract<LakeErrorCode, 'ArithmeticError' | 'InvalidCast' | 'InvalidArgument'>

/** A runtime failure of an expression on a row. */
export class ExpressionError extends LakeError {
  declare readonly code: ExpressionErrorCode
  constructor(code: ExpressionErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** `ArithmeticError`: `what` overflowed `type` (or divided by zero). */
export function arithmeticError(what: string, context: ErrorContext = {}): ExpressionError {
  return new ExpressionError('ArithmeticError', what, { context })
}

/** The error again with the expression's SQL text in its message and `context.expression`. */
export function withExpression(err: ExpressionError, sql: string): ExpressionError {
  if (err.context['expression'] !== undefined) return err
  return new ExpressionError(err.code, `${err.message} in '${sql}'`, { context: { ...err.context, expression: sql }, cause: err.cause })
}
