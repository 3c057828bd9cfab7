/** JSONata syntax error messages in our words, with what to do about them. */

const show = (t: string | undefined) => (t === undefined || t === '(end)' ? 'the end of the expression' : `'${t}'`);

export function syntaxMessage(code: string, token?: string, value?: string): string {
  switch (code) {
    case 'S0101': return 'Unterminated string: add the closing quote';
    case 'S0102': return `Number out of range: ${show(token)}`;
    case 'S0103': return `Unsupported escape sequence \\${token ?? ''} in a string`;
    case 'S0104': return 'The escape \\u must be followed by 4 hex digits';
    case 'S0105': return 'Unterminated `quoted name`: add the closing backquote';
    case 'S0106': return 'Unterminated comment: close it with */';
    case 'S0201': return `Syntax error at ${show(token)}${token === ';' ? ': several expressions need parentheses, e.g. ($a := 1; $a)' : ''}`;
    case 'S0202': return `Expected ${show(value)} but found ${show(token)}`;
    case 'S0203': return `Expected ${show(value)} before the end of the expression`;
    case 'S0204': return `Unknown operator ${show(token)}`;
    case 'S0205': return `Unexpected ${show(token)}`;
    case 'S0206': return `Unknown expression type ${show(token)}`;
    case 'S0207': return 'The expression ends too early: something is missing after the last operator';
    case 'S0208': return `Parameter ${show(value)} of a function definition must be a variable name starting with $`;
    case 'S0209': return 'A predicate cannot follow a grouping expression in a step';
    case 'S0210': return 'Each step can have only one grouping expression';
    case 'S0211': return `${show(token)} cannot be used as a unary operator`;
    case 'S0212': return 'The left side of := must be a variable name starting with $';
    case 'S0213': return `The literal ${show(value)} cannot be a step of a path`;
    case 'S0214': return `The right side of ${show(token)} must be a variable name starting with $`;
    case 'S0215': return 'A context variable binding must come before any predicate on a step';
    case 'S0216': return "A context variable binding must come before the 'order-by' clause of a step";
    case 'S0217': return "The parent (%) cannot be derived from this expression";
    case 'S0301': return 'Empty regular expressions are not allowed';
    case 'S0302': return 'Unterminated regular expression: add the closing /';
    case 'S0401': return 'Type parameters can only be applied to functions and arrays';
    case 'S0402': return 'Choice groups containing parameterized types are not supported';
    default: return `JSONata syntax error ${code}${token ? ` at ${show(token)}` : ''}`;
  }
}
