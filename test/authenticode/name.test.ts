// RFC 2253 formatting must equal `openssl x509 -noout -subject -nameopt RFC2253` byte for byte.
// Every expected string below was printed by OpenSSL 3.0 for a certificate whose subject is the hex Name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readNode } from '../../src/authenticode/der.ts';
import { formatNameRFC2253 } from '../../src/authenticode/name.ts';
import { fromHex } from './helpers.ts';

const OPENSSL_VECTORS: Array<[string, string, string]> = [
  ['leading/trailing space, leading #', '302d311b301906035504030c1220206c65616420616e6420747261696c2020310e300c060355040a0c052368617368', 'O=\\#hash,CN=\\  lead and trail \\ '],
  ['RFC 2253 specials', '30183116301406035504030c0d6122623c633e643b655c662c67', 'CN=a\\"b\\<c\\>d\\;e\\\\f\\,g'],
  ['UTF8String, non-ASCII escaped per byte', '303c3115301306035504030c0c4dc3bc6c6c657220476d624831163014060355040a0c0dc39c6ec3af636f646520e29c93310b3009060355040613024445', 'C=DE,O=\\C3\\9Cn\\C3\\AFcode \\E2\\9C\\93,CN=M\\C3\\BCller GmbH'],
  ['BMPString converted to UTF-8', '3051311f301d06035504031e16004d00fc006c006c0065007200200047006d006200483121301f060355040a1e1800dc006e00ef0063006f0064006500202713002065e5672c310b3009060355040613024445', 'C=DE,O=\\C3\\9Cn\\C3\\AFcode \\E2\\9C\\93 \\E6\\97\\A5\\E6\\9C\\AC,CN=M\\C3\\BCller GmbH'],
  ['T61String as Latin-1', '3035311430120603550403140b4dfc6c6c657220476d62483110300e060355040a1407dc6eef636f6465310b3009060355040613024445', 'C=DE,O=\\C3\\9Cn\\C3\\AFcode,CN=M\\C3\\BCller GmbH'],
  ['multi-valued RDN reversed, DC', '304e311e300806035504030c01613008060355040a0c01633008060355040b0c016231173015060a0992268993f22c64011916076578616d706c6531133011060a0992268993f22c6401191603636f6d', 'DC=com,DC=example,OU=b+O=c+CN=a'],
  ['one-character values are only "last"', '3032310a300806035504030c0123310a3008060355040a0c0120310b3009060355040b0c027823310b300906035504070c022378', 'L=\\#x,OU=x#,O=\\ ,CN=#'],
  ['EV attributes and an unknown OID', '30818e310a300806035504030c01783114301206092a864886f70d01090116056140622e63310c300a0603550405130331323331133011060b2b0601040182373c02010313025553311d301b060355040f0c1450726976617465204f7267616e697a6174696f6e3112301006035504610c0956415444452d3132333114301206092b06010401868d1f010c0568656c6c6f', '1.3.6.1.4.1.99999.1=#0C0568656C6C6F,organizationIdentifier=VATDE-123,businessCategory=Private Organization,jurisdictionC=US,serialNumber=123,emailAddress=a@b.c,CN=x'],
  ['short names', '3072310e300c06035504031305706c61696e311230100603550409130931204d61696e205374310e300c060355041113053132333435310c300a060355040c130344722e310c300a060355042a1303416e6e310c300a060355040413034c656531123010060a0992268993f22c64010113027531', 'UID=u1,SN=Lee,GN=Ann,title=Dr.,postalCode=12345,street=1 Main St,CN=plain'],
  ['control bytes', '3010310e300c06035504030c0561017f0062', 'CN=a\\01\\7F\\00b'],
  ['UniversalString', '30173115301306035504031c0c000000410001f60000000020', 'CN=A\\F0\\9F\\98\\80\\ '],
  ['T61String high byte and trailing space', '300e310c300a0603550403140343e920', 'CN=C\\C3\\A9\\ '],
  ['single space, single #, empty', '3023310a300806035504030c0120310a3008060355040a0c012331093007060355040b0c00', 'OU=,O=#,CN=\\ '],
  ['unknown OID dumped as DER', '301c310d300b06042a0304050c03782c79310b3009060355040313026f6b', 'CN=ok,1.2.3.4.5=#0C03782C79'],
  ['IA5String with +', '302e3116301406092a864886f70d0109011607612b6240632e6431143012060a0992268993f22c6401191604636f7270', 'DC=corp,emailAddress=a\\+b@c.d'],
  ['= ( ) * are not escaped', '30143112301006035504031309613d6220286329202a', 'CN=a=b (c) *'],
  ['three-valued RDN', '302d311e300806035504030c017a3008060355040b0c01793008060355040a0c0178310b3009060355040613025553', 'C=US,O=x+OU=y+CN=z'],
];

describe('formatNameRFC2253', () => {
  for (const [label, hexName, expected] of OPENSSL_VECTORS) {
    it(`matches openssl -nameopt RFC2253: ${label}`, () => {
      assert.equal(formatNameRFC2253(readNode(fromHex(hexName), 0)), expected);
    });
  }

  it('dumps values of a non-string type as DER hex (OpenSSL refuses to load such names)', () => {
    // CN as OCTET STRING, O as INTEGER.
    assert.equal(formatNameRFC2253(readNode(fromHex('300d310b3009060355040304024142'), 0)), 'CN=#04024142');
    assert.equal(formatNameRFC2253(readNode(fromHex('300c310a3008060355040a020105'), 0)), 'O=#020105');
  });

  it('rejects a Name that is not a SEQUENCE OF SET OF AttributeTypeAndValue', () => {
    assert.throws(() => formatNameRFC2253(readNode(fromHex('3003020101'), 0)), { name: 'ParseError' });
    assert.throws(() => formatNameRFC2253(readNode(fromHex('30053103300106'), 0)), { name: 'ParseError' });
  });
});
