/**
 * Microsoft's published endpoint for the certificate trust list (`authroot.stl`) and the root certificates it
 * names (`<SHA-1>.crt`): the default of `absolve trust update`. A module of its own so the CLI can show it
 * without loading the trust store.
 */
export const MICROSOFT_TRUST_BASE_URL = 'http://ctldl.windowsupdate.com/msdownload/update/v3/static/trustedr/en/';
