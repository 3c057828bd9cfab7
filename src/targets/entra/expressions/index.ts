export { parseExpression, attributesOf, ExpressionSyntaxError, MAX_EXPRESSION_LENGTH } from './parse';
export type { ExprNode, CompareOp } from './parse';
export { evaluateExpressionText, evaluateNode, ENTRA_FUNCTIONS } from './evaluate';
export type { Evaluation, EvaluationContext } from './evaluate';
export { EntraDate, toText, isEmpty } from './values';
export type { EValue } from './values';
