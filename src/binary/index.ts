export { ByteView, bytesEqual, latin1, toHex, utf16le } from './byte-reader.ts';
export { rangeInside, safeBound } from './bounds.ts';
export { LimitExceededError, ParseError, isParseError } from './errors.ts';
export { escapeForDisplay, isUnsafeDisplayCodePoint } from './display-text.ts';
