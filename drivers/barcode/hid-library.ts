/**
 * node-hid, loaded only when a HID reader is used or HID devices are listed. Its native part needs
 * system libraries (libudev on Linux; hidapi's libusb backend elsewhere): when they are missing
 * the import fails with ERR_DLOPEN_FAILED, and only HID readers become unavailable, with a message
 * saying what to install.
 */

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** What the HID POS reader needs of an open device (node-hid's HIDAsync, or a test's fake). */
export interface HidDeviceHandle {
  on(event: 'data', listener: (report: Uint8Array) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeAllListeners(event?: string): unknown;
  sendFeatureReport(data: number[]): Promise<number>;
  close(): Promise<void>;
}

export interface HidLibrary {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDeviceHandle>;
}

export type LoadHidLibrary = () => Promise<HidLibrary>;

/** The platform's advice for making node-hid load. */
export function hidInstallAdvice(platform: string = process.platform): string {
  if (platform === 'linux') {
    return 'Install the udev and libusb runtime libraries (Debian/Ubuntu: sudo apt install libudev1 libusb-1.0-0; Fedora: sudo dnf install systemd-libs libusbx) and restart Box Office.';
  }
  if (platform === 'darwin') return 'Reinstall Box Office (its node-hid binary for macOS is missing or damaged).';
  return 'Reinstall Box Office (its node-hid binary for Windows is missing or damaged); the Microsoft Visual C++ runtime must be installed.';
}

export class HidDriverUnavailableError extends Error {
  readonly code = 'DRIVER_UNAVAILABLE';

  constructor(cause: unknown, platform: string = process.platform) {
    const detail = cause instanceof Error ? cause.message.split('\n')[0]! : String(cause);
    const library = /([\w.+-]+\.so(?:\.[\d.]+)?)/.exec(detail)?.[1];
    super(
      `HID barcode scanners are unavailable: node-hid could not load${library ? ` (missing ${library})` : ` (${detail})`}. ${hidInstallAdvice(platform)}`,
    );
    this.name = 'HidDriverUnavailableError';
  }
}

interface NodeHidModule {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  HIDAsync: { open(path: string): Promise<HidDeviceHandle> };
}

export const loadNodeHid: LoadHidLibrary = async () => {
  let module: NodeHidModule;
  try {
    module = (await import('node-hid')) as unknown as NodeHidModule;
  } catch (error) {
    throw new HidDriverUnavailableError(error);
  }
  return {
    devices: () => module.devicesAsync(),
    open: (path) => module.HIDAsync.open(path),
  };
};
