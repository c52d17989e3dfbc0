/**
 * Bytes a scanner sent, as text. QR codes usually carry UTF-8, older linear symbologies Latin-1:
 * valid UTF-8 is read as such, anything else byte by byte as Latin-1, so no byte is ever lost.
 * The line ending a scanner may append (its suffix) is not part of the barcode.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeBarcodeBytes(bytes: Uint8Array): string {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = String.fromCharCode(...bytes);
  }
  return text.replace(/[\r\n]+$/, '');
}
