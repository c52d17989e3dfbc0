import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema, tagUidSchema } from '../fields.ts';
import { readerDriverNames, type ReaderDriverName } from '../enumerations.ts';

/**
 * Readers at this terminal (DESIGN.md section 8): their configuration (kept in the local store),
 * the devices that could be readers, live status and last event, and the simulated reader's
 * controls. Every shape is defined once here (zod) and shared with the renderer. The implementation
 * (the device manager's interface, the stored configurations) is in core/devices.
 */

export { readerDriverNames, type ReaderDriverName };
export const readerDriverSchema = z.enum(readerDriverNames);

export const readerDriverLabels: Record<ReaderDriverName, string> = {
  pn532: 'NFC reader (PN532, serial)',
  'serial-barcode': 'Barcode scanner (serial)',
  'hid-pos': 'Barcode scanner (USB HID POS)',
  simulated: 'Simulated reader',
};

// ReaderEvent (drivers/reader.ts) as a schema, for outputs; core/devices/devices.test.ts checks
// that the two stay the same type.

const tagKindSchema = z.enum(['ntag', 'ultralight', 'classic', 'desfire', 'iso14443a', 'unknown']);
export const symbologySchema = z.enum(['qr', 'code128', 'ean13', 'ean8', 'upca', 'upce', 'code39', 'datamatrix', 'pdf417', 'aztec', 'interleaved2of5', 'unknown']);

export const readerEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('connected'), readerId: z.string() }),
  z.object({ type: z.literal('disconnected'), readerId: z.string(), reason: z.string() }),
  z.object({
    type: z.literal('tagPresented'),
    readerId: z.string(),
    uid: z.string(),
    atqa: z.string(),
    sak: z.string(),
    kind: tagKindSchema,
    randomUid: z.boolean(),
  }),
  z.object({ type: z.literal('tagRemoved'), readerId: z.string(), uid: z.string() }),
  z.object({
    type: z.literal('barcodeScanned'),
    readerId: z.string(),
    text: z.string(),
    symbology: symbologySchema,
    source: z.enum(['serial', 'hid', 'keyboard', 'simulated']),
  }),
  z.object({ type: z.literal('error'), readerId: z.string(), code: z.string(), message: z.string(), retryable: z.boolean() }),
]);

/**
 * stopped: this process does not run readers (the CLI), or the reader was removed;
 * connecting: first attempt under way; connected; disconnected: unplugged or not found, retrying;
 * error: the reader gave up, retried later; unavailable: its driver cannot load here (reason says
 * what to install), not retried.
 */
export const readerStatusSchema = z.object({
  readerId: z.string(),
  state: z.enum(['stopped', 'connecting', 'connected', 'disconnected', 'error', 'unavailable']),
  reason: z.string().nullable(),
  since: z.string(),
});
export type ReaderStatus = z.infer<typeof readerStatusSchema>;

// Driver options, stored as JSON with the configuration. Defaults are filled when read.

export const serialBaudRates = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

export const serialBarcodeOptionsSchema = z.object({
  baudRate: z
    .number()
    .int()
    .refine((rate) => (serialBaudRates as readonly number[]).includes(rate), `Baud rate must be one of ${serialBaudRates.join(', ')}`)
    .default(9600),
  /** auto: CR, CRLF or LF ends a barcode, and so does a pause; none: only a pause does. */
  suffix: z.enum(['auto', 'none']).default('auto'),
  interByteTimeoutMs: z.number().int().min(5, 'Pause must be at least 5 ms').max(2000, 'Pause must be at most 2000 ms').default(50),
  aimPrefix: z.boolean().default(false),
});

const hexBytes = z
  .string()
  .trim()
  .transform((text) => text.replace(/[\s:,-]|0x/gi, '').toUpperCase())
  .refine((hex) => /^([0-9A-F]{2}){1,64}$/.test(hex), 'Feature report must be hex bytes, e.g. FE 01');

export const hidPosOptionsSchema = z.object({
  reportId: z.number().int().min(0).max(255).default(2),
  /** Sent after opening, report id first (Honeywell: FE 01); null when the scanner needs none. */
  enableFeatureReport: hexBytes.nullable().default(null),
});

export const noOptionsSchema = z.object({});

export const driverOptionsSchemas = {
  pn532: noOptionsSchema,
  'serial-barcode': serialBarcodeOptionsSchema,
  'hid-pos': hidPosOptionsSchema,
  simulated: noOptionsSchema,
} as const;

export type SerialBarcodeOptions = z.output<typeof serialBarcodeOptionsSchema>;
export type HidPosOptions = z.output<typeof hidPosOptionsSchema>;

/** `0c2e:0b87` (hex VID:PID, as lsusb and Device Manager show them). */
export const usbIdSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{4}:[0-9a-f]{4}$/, 'USB id must be VID:PID in hex, e.g. 0c2e:0b87');

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} is longer than ${max} characters`)
    .transform((text) => (text === '' ? null : text))
    .nullable()
    .default(null);

const readerName = z.string().trim().min(1, 'Name is empty').max(60, 'Name is longer than 60 characters');

const device = {
  name: readerName,
  /** The device path: /dev/ttyUSB0, COM3, /dev/hidraw2, or a HID path from the candidates list. */
  path: optionalText(260, 'Path'),
  usbId: usbIdSchema.nullable().default(null),
};

export const addReaderInput = z
  .discriminatedUnion('driver', [
    z.object({ driver: z.literal('pn532'), ...device, options: noOptionsSchema.default({}) }),
    z.object({ driver: z.literal('serial-barcode'), ...device, options: serialBarcodeOptionsSchema.default({ baudRate: 9600, suffix: 'auto', interByteTimeoutMs: 50, aimPrefix: false }) }),
    z.object({ driver: z.literal('hid-pos'), ...device, options: hidPosOptionsSchema.default({ reportId: 2, enableFeatureReport: null }) }),
    z.object({ driver: z.literal('simulated'), name: readerName, path: z.null().default(null), usbId: z.null().default(null), options: noOptionsSchema.default({}) }),
  ])
  .superRefine((input, context) => {
    if (input.driver !== 'simulated' && input.path === null && input.usbId === null) {
      context.addIssue({ code: 'custom', path: ['path'], message: 'Give the device path or its USB id (VID:PID)' });
    }
  });
export type AddReaderInput = z.output<typeof addReaderInput>;

const optionValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const readerViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  driver: readerDriverSchema,
  path: z.string().nullable(),
  usbId: z.string().nullable(),
  options: z.record(z.string(), optionValueSchema),
  createdAt: z.string(),
  status: readerStatusSchema,
  lastEvent: readerEventSchema.nullable(),
  lastEventAt: z.string().nullable(),
});
export type ReaderView = z.infer<typeof readerViewSchema>;

export const driverAvailabilitySchema = z.object({
  driver: readerDriverSchema,
  available: z.boolean(),
  /** Why not, and what to install. */
  message: z.string().nullable(),
});

export const readerCandidateSchema = z.object({
  kind: z.enum(['serial', 'hid']),
  path: z.string(),
  usbId: z.string().nullable(),
  manufacturer: z.string().nullable(),
  product: z.string().nullable(),
  serialNumber: z.string().nullable(),
  /** HID usage page (0x8C: barcode scanner), null for serial ports. */
  usagePage: z.number().int().nullable(),
  suggestedDriver: readerDriverSchema.nullable(),
  /** The name of the configured reader using this device, if any. */
  configuredAs: z.string().nullable(),
});
export type ReaderCandidate = z.infer<typeof readerCandidateSchema>;

export const simulateActionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('presentTag'),
    uid: tagUidSchema,
    kind: tagKindSchema.optional(),
    /** Take the tag away after this many ms (a tap); held until removeTag when absent. */
    holdMs: z.number().int().min(0).max(60_000).optional(),
  }),
  z.object({ type: z.literal('removeTag') }),
  z.object({
    type: z.literal('scanBarcode'),
    text: z
      .string()
      .min(1, 'Barcode text is empty')
      .max(4096, 'Barcode text is longer than 4096 characters')
      .refine((text) => text.trim() !== '', 'Barcode text is empty'),
    symbology: symbologySchema.default('unknown'),
  }),
]);
export type SimulateAction = z.output<typeof simulateActionSchema>;

export const readerOperations = {
  'readers.list': operation({
    roles: rolesFrom('steward'),
    input: z.object({}).default({}),
    output: z.object({
      readers: z.array(readerViewSchema),
      drivers: z.array(driverAvailabilitySchema),
      /** False in processes that do not run readers (the CLI): every status is then `stopped`. */
      running: z.boolean(),
    }),
    summary: 'Lists the readers configured at this terminal with their live status and last event',
  }),
  'readers.candidates': operation({
    roles: rolesFrom('admin'),
    input: z.object({}).default({}),
    output: z.object({
      candidates: z.array(readerCandidateSchema),
      /** Kinds of device that cannot be listed here, and why (a missing system library). */
      unavailable: z.array(z.object({ kind: z.enum(['serial', 'hid']), message: z.string() })),
    }),
    summary: 'Lists serial ports (with USB VID:PID) and HID barcode scanners that could be readers',
  }),
  'readers.add': operation({
    roles: rolesFrom('admin'),
    input: addReaderInput,
    output: readerViewSchema,
    summary: 'Configures a reader (driver, device path or USB VID:PID, options) and starts it',
  }),
  'readers.remove': operation({
    roles: rolesFrom('admin'),
    input: z.object({ readerId: idSchema }),
    output: z.object({ readerId: z.string() }),
    summary: 'Stops a reader and removes its configuration',
  }),
  'readers.simulate': operation({
    roles: rolesFrom('steward'),
    input: z.object({ readerId: idSchema, action: simulateActionSchema }),
    output: z.object({ events: z.array(readerEventSchema) }),
    summary: 'Presents a tag, takes it away or scans a barcode on a simulated reader',
  }),
} as const;
