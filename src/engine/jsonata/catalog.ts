/**
 * Our catalog of JSONata's built-in functions (jsonata does not export one). It feeds static type
 * inference, unknown-function checks, completion, signature help and hover.
 */

export type StaticType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null' | 'function' | 'any';

export interface FunctionParam {
  name: string;
  type: string;
  optional?: boolean;
}

export interface BuiltinFunction {
  name: string;
  params: FunctionParam[];
  returns: StaticType;
  category: 'string' | 'numeric' | 'aggregation' | 'boolean' | 'array' | 'object' | 'date' | 'higher-order' | 'other';
  summary: string;
  example?: string;
  /** Longer advice for hover, in the context of HR → SCIM mappings (optional). */
  details?: string;
}

const p = (name: string, type: string, optional = false): FunctionParam => ({ name, type, optional });

export const BUILTINS: BuiltinFunction[] = [
  // Strings
  { name: 'string', params: [p('arg', 'any', true), p('prettify', 'boolean', true)], returns: 'string', category: 'string', summary: 'Turns a value into a string (numbers, booleans; objects and arrays as JSON).', example: '$string(EmployeeNumber) → "701984"' },
  { name: 'length', params: [p('str', 'string')], returns: 'number', category: 'string', summary: 'Number of characters in a string.', example: '$length("Zoë") → 3' },
  { name: 'substring', params: [p('str', 'string'), p('start', 'number'), p('length', 'number', true)], returns: 'string', category: 'string', summary: 'Part of a string from a 0-based start (negative counts from the end), optionally limited in length.', example: '$substring("2020-03-16", 0, 4) → "2020"' },
  { name: 'substringBefore', params: [p('str', 'string'), p('chars', 'string')], returns: 'string', category: 'string', summary: 'The part of a string before the first occurrence of chars (the whole string if absent).', example: '$substringBefore("ana@contoso.com", "@") → "ana"' },
  { name: 'substringAfter', params: [p('str', 'string'), p('chars', 'string')], returns: 'string', category: 'string', summary: 'The part of a string after the first occurrence of chars (the whole string if absent).', example: '$substringAfter("ana@contoso.com", "@") → "contoso.com"' },
  { name: 'uppercase', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'The string in upper case.', example: '$uppercase("fr") → "FR"' },
  { name: 'lowercase', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'The string in lower case — the usual first step of a userName.', example: '$lowercase("Ana.Silva") → "ana.silva"' },
  { name: 'trim', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'Removes leading and trailing white space and collapses inner runs to one space.', example: '$trim("  Ana   Silva ") → "Ana Silva"' },
  { name: 'pad', params: [p('str', 'string'), p('width', 'number'), p('char', 'string', true)], returns: 'string', category: 'string', summary: 'Pads to a width: positive pads on the right, negative on the left.', example: '$pad("42", -6, "0") → "000042"' },
  { name: 'contains', params: [p('str', 'string'), p('pattern', 'string | regex')], returns: 'boolean', category: 'string', summary: 'True when the string contains the text or matches the regular expression.', example: '$contains(Email, "@contoso.com") → true' },
  { name: 'split', params: [p('str', 'string'), p('separator', 'string | regex'), p('limit', 'number', true)], returns: 'array', category: 'string', summary: 'Splits a string into an array of parts.', example: '$split("a;b;c", ";") → ["a", "b", "c"]' },
  { name: 'join', params: [p('array', 'array<string>'), p('separator', 'string', true)], returns: 'string', category: 'string', summary: 'Joins an array of strings, with an optional separator.', example: '$join([FirstName, LastName], " ") → "Ana Silva"' },
  { name: 'match', params: [p('str', 'string'), p('pattern', 'regex'), p('limit', 'number', true)], returns: 'any', category: 'string', summary: 'Matches a regular expression; returns match objects (match, index, groups).', example: '$match("E-701984", /\\d+/).match → "701984"' },
  { name: 'replace', params: [p('str', 'string'), p('pattern', 'string | regex'), p('replacement', 'string | function'), p('limit', 'number', true)], returns: 'string', category: 'string', summary: 'Replaces occurrences of a text or regular expression.', example: '$replace("O\'Brien", "\'", "") → "OBrien"' },
  { name: 'eval', params: [p('expr', 'string'), p('context', 'any', true)], returns: 'any', category: 'string', summary: 'Evaluates a string as a JSONata expression (avoid in mappings: it hides errors until run time).' },
  { name: 'base64encode', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'Base64-encodes a string.', example: '$base64encode("hello") → "aGVsbG8="' },
  { name: 'base64decode', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'Decodes a base64 string.', example: '$base64decode("aGVsbG8=") → "hello"' },
  { name: 'encodeUrlComponent', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'Percent-encodes a URL component.', example: '$encodeUrlComponent("a b") → "a%20b"' },
  { name: 'encodeUrl', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'Percent-encodes a whole URL.' },
  { name: 'decodeUrlComponent', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'Decodes a percent-encoded URL component.' },
  { name: 'decodeUrl', params: [p('str', 'string')], returns: 'string', category: 'string', summary: 'Decodes a percent-encoded URL.' },
  { name: 'formatNumber', params: [p('number', 'number'), p('picture', 'string'), p('options', 'object', true)], returns: 'string', category: 'string', summary: 'Formats a number with an XPath-style picture string.', example: '$formatNumber(1234.5, "#,##0.00") → "1,234.50"' },
  { name: 'formatBase', params: [p('number', 'number'), p('radix', 'number', true)], returns: 'string', category: 'string', summary: 'Writes a number in another base (2–36).', example: '$formatBase(255, 16) → "ff"' },
  { name: 'formatInteger', params: [p('number', 'number'), p('picture', 'string')], returns: 'string', category: 'string', summary: 'Formats an integer with a picture string (e.g. "000000", "w" for words).', example: '$formatInteger(42, "000000") → "000042"' },
  { name: 'parseInteger', params: [p('str', 'string'), p('picture', 'string')], returns: 'number', category: 'string', summary: 'Reads an integer written with a picture string.', example: '$parseInteger("000042", "000000") → 42' },
  // Numbers
  { name: 'number', params: [p('arg', 'string | number | boolean')], returns: 'number', category: 'numeric', summary: 'Turns a numeric string (or boolean) into a number; fails on text that is not a number.', example: '$number("42") → 42' },
  { name: 'abs', params: [p('number', 'number')], returns: 'number', category: 'numeric', summary: 'Absolute value.', example: '$abs(-3) → 3' },
  { name: 'floor', params: [p('number', 'number')], returns: 'number', category: 'numeric', summary: 'Rounds down.', example: '$floor(4.7) → 4' },
  { name: 'ceil', params: [p('number', 'number')], returns: 'number', category: 'numeric', summary: 'Rounds up.', example: '$ceil(4.2) → 5' },
  { name: 'round', params: [p('number', 'number'), p('precision', 'number', true)], returns: 'number', category: 'numeric', summary: 'Rounds half to even, optionally to a number of decimals.', example: '$round(2.5) → 2' },
  { name: 'power', params: [p('base', 'number'), p('exponent', 'number')], returns: 'number', category: 'numeric', summary: 'base raised to exponent.', example: '$power(2, 8) → 256' },
  { name: 'sqrt', params: [p('number', 'number')], returns: 'number', category: 'numeric', summary: 'Square root.', example: '$sqrt(16) → 4' },
  { name: 'random', params: [], returns: 'number', category: 'numeric', summary: 'A random number in [0, 1) — avoid in mappings: previews and uploads will differ.' },
  // Aggregation
  { name: 'sum', params: [p('array', 'array<number>')], returns: 'number', category: 'aggregation', summary: 'Sum of an array of numbers.', example: '$sum([1, 2, 3]) → 6' },
  { name: 'max', params: [p('array', 'array<number>')], returns: 'number', category: 'aggregation', summary: 'Largest number of an array.', example: '$max([1, 5, 3]) → 5' },
  { name: 'min', params: [p('array', 'array<number>')], returns: 'number', category: 'aggregation', summary: 'Smallest number of an array.', example: '$min([1, 5, 3]) → 1' },
  { name: 'average', params: [p('array', 'array<number>')], returns: 'number', category: 'aggregation', summary: 'Mean of an array of numbers.', example: '$average([1, 2, 3]) → 2' },
  { name: 'count', params: [p('array', 'array')], returns: 'number', category: 'aggregation', summary: 'Number of items (a single value counts as 1, nothing as 0).', example: '$count(Phones) → 2' },
  // Booleans
  { name: 'boolean', params: [p('arg', 'any')], returns: 'boolean', category: 'boolean', summary: 'Truthiness of a value: "" , 0, [], {} and nothing are false.', example: '$boolean("yes") → true' },
  { name: 'not', params: [p('arg', 'any')], returns: 'boolean', category: 'boolean', summary: 'Logical negation of the truthiness of a value.', example: '$not(Terminated) → true' },
  { name: 'exists', params: [p('arg', 'any')], returns: 'boolean', category: 'boolean', summary: 'True when the expression produces a value (even an empty string).', example: '$exists(MobilePhone) → false' },
  // Arrays
  { name: 'append', params: [p('array1', 'array'), p('array2', 'array')], returns: 'array', category: 'array', summary: 'Concatenates two arrays (or values).', example: '$append([1], [2]) → [1, 2]' },
  { name: 'sort', params: [p('array', 'array'), p('comparator', 'function', true)], returns: 'array', category: 'array', summary: 'Sorts an array, optionally with a function($a, $b) that returns true when $a goes after $b.' },
  { name: 'reverse', params: [p('array', 'array')], returns: 'array', category: 'array', summary: 'Reverses an array.' },
  { name: 'shuffle', params: [p('array', 'array')], returns: 'array', category: 'array', summary: 'Random order — avoid in mappings.' },
  { name: 'distinct', params: [p('array', 'array')], returns: 'array', category: 'array', summary: 'Removes duplicate values.', example: '$distinct(["a", "b", "a"]) → ["a", "b"]' },
  { name: 'zip', params: [p('array1', 'array'), p('array2', 'array', true)], returns: 'array', category: 'array', summary: 'Pairs up items of several arrays.' },
  // Objects
  { name: 'keys', params: [p('object', 'object')], returns: 'array', category: 'object', summary: 'The keys of an object.' },
  { name: 'lookup', params: [p('object', 'object'), p('key', 'string')], returns: 'any', category: 'object', summary: 'The value of a key — for keys that are not valid names, or computed ones.', example: '$lookup($, "First Name")' },
  { name: 'spread', params: [p('object', 'object')], returns: 'array', category: 'object', summary: 'Splits an object into an array of one-key objects.' },
  { name: 'merge', params: [p('objects', 'array<object>')], returns: 'object', category: 'object', summary: 'Merges an array of objects into one (later keys win).' },
  { name: 'sift', params: [p('object', 'object'), p('function', 'function')], returns: 'object', category: 'object', summary: 'Keeps the key/value pairs for which the function returns true.' },
  { name: 'each', params: [p('object', 'object'), p('function', 'function')], returns: 'array', category: 'object', summary: 'Calls a function($value, $key) for each pair and returns the results.' },
  { name: 'error', params: [p('message', 'string', true)], returns: 'any', category: 'object', summary: 'Fails the record with a message — useful to reject bad HR data explicitly.', example: '$error("no email")' },
  { name: 'assert', params: [p('condition', 'boolean'), p('message', 'string', true)], returns: 'any', category: 'object', summary: 'Fails the record with the message when the condition is false.', example: '$assert($exists(WorkerID), "no id")' },
  { name: 'type', params: [p('value', 'any')], returns: 'string', category: 'object', summary: 'The JSON type of a value: "string", "number", "boolean", "array", "object", "null", "function".' },
  // Dates and times
  { name: 'now', params: [p('picture', 'string', true), p('timezone', 'string', true)], returns: 'string', category: 'date', summary: 'The time the evaluation started, as an ISO 8601 string.' },
  { name: 'millis', params: [], returns: 'number', category: 'date', summary: 'The time the evaluation started, in milliseconds since the Unix epoch.' },
  { name: 'fromMillis', params: [p('millis', 'number'), p('picture', 'string', true), p('timezone', 'string', true)], returns: 'string', category: 'date', summary: 'Milliseconds since the epoch to a date/time string (ISO 8601 by default).', example: '$fromMillis(0) → "1970-01-01T00:00:00.000Z"' },
  { name: 'hrDate', params: [p('value', 'string'), p('picture', 'string')], returns: 'string', category: 'date', summary: 'SCIM Mapper: reads a date written with a picture (letters y M d H m s) into an xsd:dateTime in UTC.', example: '$hrDate("3/16/2020", "M/d/yyyy") → "2020-03-16T00:00:00Z"', details: 'For HR exports with local date formats: "dd.MM.yyyy", "yyyyMMdd", "M/d/yy HH:mm". An empty or absent value leaves the attribute out; text that does not match the picture fails the record with a message.' },
  { name: 'workdayDate', params: [p('value', 'string')], returns: 'string', category: 'date', summary: 'SCIM Mapper: a Workday date (2020-03-16-07:00) or date-time to an xsd:dateTime in UTC.', example: '$workdayDate("2020-03-16-07:00") → "2020-03-16T07:00:00Z"', details: 'Workday RaaS writes dates with their zone offset: midnight in that zone is the instant. An empty or absent value leaves the attribute out.' },
  { name: 'sfDate', params: [p('value', 'string')], returns: 'string', category: 'date', summary: 'SCIM Mapper: a SuccessFactors OData v2 date (/Date(1492098664000)/) to an xsd:dateTime in UTC.', example: '$sfDate("/Date(1492098664000)/") → "2017-04-13T15:51:04Z"', details: 'The successfactors source already converts /Date(…)/ values; an xsd:dateTime passes through unchanged, so a mapping works on snapshots and exports alike.' },
  { name: 'toMillis', params: [p('timestamp', 'string'), p('picture', 'string', true)], returns: 'number', category: 'date', summary: 'Reads a date/time string (ISO 8601, or a picture) into milliseconds since the epoch.', example: '$toMillis("2020-03-16T00:00:00Z") → 1584316800000' },
  // Higher order
  { name: 'map', params: [p('array', 'array'), p('function', 'function')], returns: 'array', category: 'higher-order', summary: 'Applies a function($value, $index) to each item.' },
  { name: 'filter', params: [p('array', 'array'), p('function', 'function')], returns: 'array', category: 'higher-order', summary: 'Keeps the items for which function($value) returns true.' },
  { name: 'single', params: [p('array', 'array'), p('function', 'function', true)], returns: 'any', category: 'higher-order', summary: 'The one item that matches; fails when none or several do.' },
  { name: 'reduce', params: [p('array', 'array'), p('function', 'function'), p('init', 'any', true)], returns: 'any', category: 'higher-order', summary: 'Folds an array with function($acc, $value).' },
];

const byName = new Map(BUILTINS.map((f) => [f.name, f]));

export function builtin(name: string): BuiltinFunction | undefined {
  return byName.get(name);
}

/** `$join(array, separator?)` */
export function signatureLabel(f: BuiltinFunction): string {
  return `$${f.name}(${f.params.map((x) => (x.optional ? `${x.name}?` : x.name)).join(', ')})`;
}

/** Mapping-specific advice shown in hover, kept apart from the table above so that the table stays one line per function. */
const DETAILS: Record<string, string> = {
  string: 'An absent field stays absent (the attribute is omitted), so $string(EmployeeNumber) is safe on records without one.',
  substring: 'Handy for dates: HR exports such as Workday write "2020-03-16-07:00"; $substring(d, 0, 10) is the date, $substring(d, 10) the offset.',
  lowercase: 'userName and e-mail values compare case-insensitively in Entra, but lower case keeps previews and duplicates checks readable.',
  join: 'Missing items are skipped, so $join([First, Middle, Last], " ") has no double spaces when Middle is absent.',
  number: 'Throws on text that is not a number ("n/a", "1,5"): guard it, e.g. $exists(Grade) and Grade != "" ? $number(Grade).',
  boolean: 'Any non-empty string is true — $boolean("false") is true. To read a status, compare it: Status = "Active".',
  exists: 'An empty CSV cell is an empty string, which exists: test Field != "" or use Field as a condition (Field ? …) to treat it as missing.',
  toMillis: 'With a picture such as "[D01].[M01].[Y0001]" it reads local date formats; pair it with $fromMillis to write xsd:dateTime.',
  fromMillis: 'Its default output (ISO 8601 with milliseconds and Z) is a valid xsd:dateTime for Entra.',
  lookup: 'Reads keys that are not valid names ($lookup($, "First Name")) or maps codes through a let-bound table ($lookup($countries, Country)).',
  replace: 'With a regular expression, e.g. $replace(Phone, /[^0-9+]/, ""), it strips every character that does not match.',
  split: 'Returns an array: pick an item with [0] before mapping it to a single-valued attribute.',
  trim: 'HR exports often carry stray spaces that make userName values differ; trim before comparing or joining.',
};
for (const f of BUILTINS) if (DETAILS[f.name] && !f.details) f.details = DETAILS[f.name];
