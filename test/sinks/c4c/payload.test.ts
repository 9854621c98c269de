/** The payload and its two wire formats (SPEC): same keys, same order; XML escaped. */
import { describe, expect, it } from 'vitest';
import { buildPayload, encodeMessage, escapeXml, toXml } from '../../../src/sinks/c4c/index.js';
import { readXml } from './helpers.js';

const p = buildPayload({
  ani: '+41445550101',
  cid: 'CISCO9876',
  event: 'CALL_CONNECTED',
  eventType: 'Inbound',
  action: 'ACCEPT',
  reference: '20458C1',
  activityUUID: '00163EA718FC1EEABDD5608C895BDC71',
  fields: { Custom_1: 'a & b', 'E-Mail': 'x@y.ch', Transcript: '<hi>' },
});

describe('payload', () => {
  it('reserved keys first in a fixed order, then the mapped fields', () => {
    expect(Object.keys(p)).toEqual(['ANI', 'CID', 'Type', 'Event', 'EventType', 'Action', 'ExternalReferenceID', 'ActivityUUID', 'Custom_1', 'E-Mail', 'Transcript']);
    expect(p.Type).toBe('CALL');
  });

  it('JSON is {payload: {...}}; XML is the declaration and one element per key, escaped', () => {
    expect(encodeMessage(p, 'json')).toEqual({ payload: p });
    const xml = encodeMessage(p, 'xml') as string;
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?><payload><ANI>+41445550101</ANI><CID>CISCO9876</CID><Type>CALL</Type><Event>CALL_CONNECTED</Event><EventType>Inbound</EventType><Action>ACCEPT</Action><ExternalReferenceID>20458C1</ExternalReferenceID><ActivityUUID>00163EA718FC1EEABDD5608C895BDC71</ActivityUUID><Custom_1>a &amp; b</Custom_1><E-Mail>x@y.ch</E-Mail><Transcript>&lt;hi&gt;</Transcript></payload>',
    );
    expect(readXml(xml)).toEqual(p);
  });

  it('UpdateActivity carries no Action key in either format', () => {
    const u = buildPayload({ ani: '+1', cid: 'C', event: 'CALL_CONNECTED', eventType: 'UpdateActivity', action: undefined, reference: 'R', originalReference: 'O' });
    expect(Object.keys(u)).toEqual(['ANI', 'CID', 'Type', 'Event', 'EventType', 'ExternalReferenceID', 'ExternalOriginalReferenceID']);
    expect(toXml(u)).not.toContain('<Action>');
  });

  it('escapes the five XML specials and drops characters XML 1.0 cannot carry', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('a\u0000b\u0007c\td\ne\rf\uFFFEg\uD800h\u{1F600}')).toBe('abc\td\ne\rfgh\u{1F600}');
  });
});
