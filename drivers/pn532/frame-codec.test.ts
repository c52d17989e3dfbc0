import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ackFrame, encodeInformationFrame, errorFrame, fromHex, hostToPn532, nackFrame, Pn532FrameDecoder, pn532ToHost, toHex, type Pn532Frame } from './frame-codec.ts';

/** Byte streams from NXP UM0701-02 (PN532 user manual), section 6.2 and the command examples. */
const manual = {
  getFirmwareVersion: '00 00 FF 02 FE D4 02 2A 00',
  getFirmwareVersionResponse: '00 00 FF 06 FA D5 03 32 01 06 07 E8 00',
  ack: '00 00 FF 00 FF 00',
  nack: '00 00 FF FF 00 00',
  error: '00 00 FF 01 FF 7F 81 00',
  samConfiguration: '00 00 FF 05 FB D4 14 01 14 01 02 00',
  samConfigurationResponse: '00 00 FF 02 FE D5 15 16 00',
  inListPassiveTarget: '00 00 FF 04 FC D4 4A 01 00 E1 00',
  // One target: Tg 01, ATQA 00 44, SAK 00, a 7-byte UID (MIFARE Ultralight / NTAG).
  inListPassiveTargetResponse: '00 00 FF 0F F1 D5 4B 01 01 00 44 00 07 04 A2 24 B2 C3 3F 80 95 00',
  inListPassiveTargetEmpty: '00 00 FF 03 FD D5 4B 00 E0 00',
  extendedInList: '00 00 FF FF FF 00 03 FD D4 4A 01 E1 00',
};

const decodeWhole = (bytes: Uint8Array) => {
  const decoder = new Pn532FrameDecoder();
  return [...decoder.feed(bytes), ...decoder.flush()];
};

/** Feeds `bytes` split at `cut` (and, with two cuts, in three chunks). */
const decodeSplit = (bytes: Uint8Array, ...cuts: number[]) => {
  const decoder = new Pn532FrameDecoder();
  const frames: Pn532Frame[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    frames.push(...decoder.feed(bytes.subarray(from, cut)));
    from = cut;
  }
  return [...frames, ...decoder.flush()];
};

const information = (tfi: number, dataHex: string, extended = false) => ({ type: 'information', tfi, data: fromHex(dataHex), extended });

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

describe('PN532 frame decoder on the user manual byte streams', () => {
  const cases: Array<[keyof typeof manual, Pn532Frame[]]> = [
    ['getFirmwareVersion', [information(0xd4, '02') as Pn532Frame]],
    ['getFirmwareVersionResponse', [information(0xd5, '03 32 01 06 07') as Pn532Frame]],
    ['ack', [{ type: 'ack' }]],
    ['nack', [{ type: 'nack' }]],
    ['error', [{ type: 'error' }]],
    ['samConfiguration', [information(0xd4, '14 01 14 01') as Pn532Frame]],
    ['samConfigurationResponse', [information(0xd5, '15') as Pn532Frame]],
    ['inListPassiveTarget', [information(0xd4, '4A 01 00') as Pn532Frame]],
    ['inListPassiveTargetResponse', [information(0xd5, '4B 01 01 00 44 00 07 04 A2 24 B2 C3 3F 80') as Pn532Frame]],
    ['inListPassiveTargetEmpty', [information(0xd5, '4B 00') as Pn532Frame]],
    ['extendedInList', [information(0xd4, '4A 01', true) as Pn532Frame]],
  ];

  it.each(cases)('decodes %s fed whole', (name, expected) => {
    expect(decodeWhole(fromHex(manual[name]))).toEqual(expected);
  });

  it.each(cases)('decodes %s split at every byte boundary', (name, expected) => {
    const bytes = fromHex(manual[name]);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(decodeSplit(bytes, cut), `cut at ${cut}`).toEqual(expected);
    }
    for (let first = 1; first < bytes.length; first += 1) {
      for (let second = first; second < bytes.length; second += 1) {
        expect(decodeSplit(bytes, first, second), `cuts at ${first} and ${second}`).toEqual(expected);
      }
    }
  });

  it('decodes a whole exchange byte by byte, with garbage before and between the frames', () => {
    const garbage = fromHex('13 37 FF 00 55 AA 00 FF 09 00');
    const stream = concat(
      garbage,
      fromHex(manual.getFirmwareVersion),
      fromHex('FF FF 42'),
      fromHex(manual.ack),
      garbage,
      fromHex(manual.getFirmwareVersionResponse),
      fromHex('00 00 00'),
      fromHex(manual.inListPassiveTargetResponse),
    );
    const expected = [
      information(0xd4, '02'),
      { type: 'ack' },
      information(0xd5, '03 32 01 06 07'),
      information(0xd5, '4B 01 01 00 44 00 07 04 A2 24 B2 C3 3F 80'),
    ];
    const withoutCorrupt = (frames: Pn532Frame[]) => frames.filter((frame) => frame.type !== 'corrupt');
    expect(withoutCorrupt(decodeWhole(stream))).toEqual(expected);
    for (let cut = 0; cut <= stream.length; cut += 1) expect(withoutCorrupt(decodeSplit(stream, cut))).toEqual(expected);
    const decoder = new Pn532FrameDecoder();
    const oneByOne = [...stream].flatMap((byte) => decoder.feed(Uint8Array.of(byte)));
    expect(withoutCorrupt(oneByOne)).toEqual(expected);
  });

  it('reports a bad data checksum as corrupt and still decodes the frame after it', () => {
    const bad = fromHex(manual.getFirmwareVersionResponse);
    bad[bad.length - 2] = 0xe9;
    const stream = concat(bad, fromHex(manual.ack));
    const expected = [{ type: 'corrupt', reason: 'data-checksum' }, { type: 'ack' }];
    expect(decodeWhole(stream)).toEqual(expected);
    for (let cut = 0; cut <= stream.length; cut += 1) expect(decodeSplit(stream, cut)).toEqual(expected);
  });

  it('reports a bad length checksum as corrupt and still decodes the frame after it', () => {
    const bad = fromHex(manual.inListPassiveTargetResponse);
    bad[4] = 0xf2;
    const stream = concat(bad, fromHex(manual.samConfigurationResponse));
    const frames = decodeWhole(stream);
    expect(frames[0]).toEqual({ type: 'corrupt', reason: 'length-checksum' });
    expect(frames.filter((frame) => frame.type !== 'corrupt')).toEqual([information(0xd5, '15')]);
  });

  it('reports a bad extended length checksum, a zero length and an unknown frame identifier as corrupt', () => {
    expect(decodeWhole(fromHex('00 00 FF FF FF 00 03 FE D4 4A 01 E1 00'))[0]).toEqual({ type: 'corrupt', reason: 'length-checksum' });
    expect(decodeWhole(fromHex('00 00 FF FF FF 00 00 00 00'))[0]).toEqual({ type: 'corrupt', reason: 'length' });
    expect(decodeWhole(fromHex('00 00 FF FF FF 02 00 FE D5'))[0]).toEqual({ type: 'corrupt', reason: 'length' });
    expect(decodeWhole(fromHex('00 00 FF 02 FE D3 02 2B 00'))[0]).toEqual({ type: 'corrupt', reason: 'frame-identifier' });
  });

  it('finds a valid frame that a truncated frame swallowed', () => {
    const truncated = fromHex(manual.inListPassiveTargetResponse).subarray(0, 12);
    const stream = concat(truncated, fromHex(manual.getFirmwareVersionResponse));
    const decoder = new Pn532FrameDecoder();
    // The truncated header claims 15 bytes: the decoder first takes the next frame as its body…
    const fed = decoder.feed(stream);
    // …then the checksum fails and the swallowed frame is decoded all the same.
    expect([...fed, ...decoder.flush()]).toEqual([{ type: 'corrupt', reason: 'data-checksum' }, information(0xd5, '03 32 01 06 07')]);
  });

  it('reports a frame cut short at the end of the stream as truncated on flush, and stays usable', () => {
    const decoder = new Pn532FrameDecoder();
    expect(decoder.feed(fromHex(manual.getFirmwareVersionResponse).subarray(0, 8))).toEqual([]);
    expect(decoder.pending).toBe(true);
    expect(decoder.flush()).toEqual([{ type: 'corrupt', reason: 'truncated' }]);
    expect(decoder.pending).toBe(false);
    expect(decoder.feed(fromHex(manual.ack))).toEqual([{ type: 'ack' }]);
  });

  it('skips HSU wake-up bytes and long preambles', () => {
    expect(decodeWhole(fromHex(`55 55 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ${manual.samConfiguration}`))).toEqual([information(0xd4, '14 01 14 01')]);
  });

  it('does not mistake a payload for a frame', () => {
    // A UID containing 00 FF must not start a new frame in the middle of this one.
    const frame = encodeInformationFrame(pn532ToHost, fromHex('4B 01 01 00 04 08 04 00 FF 00 FF'));
    expect(decodeWhole(frame)).toEqual([information(0xd5, '4B 01 01 00 04 08 04 00 FF 00 FF')]);
  });
});

describe('PN532 frame encoder', () => {
  it('produces the user manual bytes', () => {
    expect(toHex(encodeInformationFrame(hostToPn532, fromHex('02')))).toBe(toHex(fromHex(manual.getFirmwareVersion)));
    expect(toHex(encodeInformationFrame(pn532ToHost, fromHex('03 32 01 06 07')))).toBe(toHex(fromHex(manual.getFirmwareVersionResponse)));
    expect(toHex(encodeInformationFrame(hostToPn532, fromHex('4A 01'), { extended: true }))).toBe(toHex(fromHex(manual.extendedInList)));
    expect(toHex(ackFrame())).toBe(toHex(fromHex(manual.ack)));
    expect(toHex(nackFrame())).toBe(toHex(fromHex(manual.nack)));
    expect(toHex(errorFrame())).toBe(toHex(fromHex(manual.error)));
  });

  it('switches to an extended frame above 254 data bytes, and the decoder reads it back', () => {
    const data = Uint8Array.from({ length: 260 }, (_, index) => index & 0xff);
    const frame = encodeInformationFrame(pn532ToHost, data);
    expect([...frame.subarray(0, 5)]).toEqual([0x00, 0x00, 0xff, 0xff, 0xff]);
    expect(decodeWhole(frame)).toEqual([{ type: 'information', tfi: pn532ToHost, data, extended: true }]);
  });
});

describe('PN532 frame decoder properties', () => {
  const validFrame = fc.oneof(
    fc.constant(ackFrame()),
    fc.constant(nackFrame()),
    fc.constant(errorFrame()),
    fc
      .record({ tfi: fc.constantFrom(hostToPn532, pn532ToHost), data: fc.uint8Array({ maxLength: 300 }), extended: fc.boolean() })
      .map(({ tfi, data, extended }) => encodeInformationFrame(tfi, data, { extended })),
  );

  it('never throws, whatever the bytes and however they are chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const decoder = new Pn532FrameDecoder();
        for (const chunk of chunks) decoder.feed(chunk);
        decoder.flush();
      }),
      { numRuns: 500 },
    );
  });

  it('always decodes a valid frame that follows arbitrary garbage, in any chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), validFrame, fc.array(fc.nat(), { maxLength: 4 }), (garbage, frame, cutSeeds) => {
        const stream = concat(garbage, frame);
        const cuts = [...new Set(cutSeeds.map((seed) => seed % (stream.length + 1)))].sort((a, b) => a - b);
        const expected = decodeWhole(frame)[0]!;
        expect(decodeSplit(stream, ...cuts)).toContainEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
