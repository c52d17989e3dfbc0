/** Tag UIDs are stored as upper-case hex without separators; staff read them as `04:A2:24:B2`. */
export function formatTagUid(uid: string): string {
  const hex = uid.toUpperCase();
  if (!/^[0-9A-F]*$/.test(hex) || hex.length % 2 !== 0) return uid;
  return hex.match(/../g)?.join(':') ?? hex;
}
