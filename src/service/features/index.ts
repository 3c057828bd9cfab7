/** The authoring features of the language service: each a pure function of a FeatureContext. */
export { doComplete } from './completion';
export { doSignatureHelp } from './signatureHelp';
export { doHover } from './hover';
export { doCodeActions } from './codeActions';
export { recordCodeActions } from './recordActions';
export { doInlayHints } from './inlayHints';
export { doDocumentSymbols } from './symbols';
export { doFoldingRanges } from './folding';
export { doDefinition } from './definition';
export { doDocumentLinks } from './links';
export { prepareRename, doRename } from './rename';
