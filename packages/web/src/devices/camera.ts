// Camera and microphone: enumeration and opening with a chosen device, failures typed per device so the
// check page can say "camera blocked" while the microphone works.
import { failureOf, MediaDeviceError } from './errors.ts';

export interface DeviceLists {
  cameras: MediaDeviceInfo[];
  microphones: MediaDeviceInfo[];
}

export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === 'videoinput' && d.deviceId),
    microphones: all.filter((d) => d.kind === 'audioinput' && d.deviceId),
  };
}

const exact = (id: string | undefined) => (id ? { deviceId: { exact: id } } : {});

export async function openCamera(deviceId?: string): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 }, ...exact(deviceId) }, audio: false });
  } catch (e) {
    throw new MediaDeviceError(failureOf(e), 'camera', e);
  }
}

export async function openMicrophone(deviceId?: string): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, ...exact(deviceId) }, video: false });
  } catch (e) {
    throw new MediaDeviceError(failureOf(e), 'microphone', e);
  }
}

export function stopStream(s: MediaStream | null | undefined) {
  s?.getTracks().forEach((t) => t.stop());
}

/** The device id actually in use (the browser may pick a default when none was chosen). */
export function deviceIdOf(s: MediaStream | null, kind: 'video' | 'audio'): string | undefined {
  const t = kind === 'video' ? s?.getVideoTracks()[0] : s?.getAudioTracks()[0];
  return t?.getSettings().deviceId;
}
