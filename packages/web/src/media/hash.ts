// SHA-256 of a journal chunk, hex-encoded as the upload protocol's `x-segment-sha256` expects.
// WebCrypto needs the bytes in memory; a chunk is a few seconds of media (≈200 KB), never a whole recording.
export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
