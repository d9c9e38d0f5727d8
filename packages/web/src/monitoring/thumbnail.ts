// Small JPEG frames of a live camera for the proctor's grid and for flag evidence. One hidden <video> per
// track, drawn into a canvas on demand: no extra getUserMedia, nothing recorded, nothing kept.

export interface FrameGrabber {
  /** A JPEG of the current frame, `width` px wide, or null when the track has no frame (ended, not started). */
  grab(width: number, quality: number): Promise<ArrayBuffer | null>;
  close(): void;
}

export function frameGrabber(track: MediaStreamTrack): FrameGrabber {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  void video.play().catch(() => undefined);
  const canvas = document.createElement('canvas');
  return {
    async grab(width, quality) {
      if (track.readyState !== 'live' || !video.videoWidth) return null;
      canvas.width = width;
      canvas.height = Math.round((width * video.videoHeight) / video.videoWidth);
      canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', quality));
      return blob ? blob.arrayBuffer() : null;
    },
    close() {
      video.pause();
      video.srcObject = null;
    },
  };
}
