// The camera+microphone stream handed to the recorder once, for the whole exam. Its tracks never change, so the
// recording never restarts, while the candidate may switch camera or microphone in 设备确认 (or a device is
// replugged): video frames are piped through a track generator (Chromium insertable streams), audio through
// Web Audio. Where insertable streams are missing, the raw tracks are used and switching is not offered.
import { openCamera, openMicrophone, stopStream } from './camera.ts';

interface TrackProcessorCtor {
  new (init: { track: MediaStreamTrack }): { readable: ReadableStream<unknown> };
}
interface TrackGeneratorCtor {
  new (init: { kind: 'video' | 'audio' }): MediaStreamTrack & { writable: WritableStream<unknown> };
}
const g = globalThis as unknown as { MediaStreamTrackProcessor?: TrackProcessorCtor; MediaStreamTrackGenerator?: TrackGeneratorCtor };

export class LiveCamera {
  readonly stream: MediaStream;
  readonly canSwitch: boolean;
  private camera: MediaStream | null = null;
  private mic: MediaStream | null = null;
  private audio: AudioContext | null = null;
  private audioSource: MediaStreamAudioSourceNode | null = null;
  private audioOut: MediaStreamAudioDestinationNode | null = null;
  private generator: (MediaStreamTrack & { writable: WritableStream<unknown> }) | null = null;
  private pipe: AbortController | null = null;

  private constructor(canSwitch: boolean) {
    this.canSwitch = canSwitch;
    this.stream = new MediaStream();
  }

  /** Open the chosen devices. Must run inside a click (Web Audio needs a user gesture to start). */
  static async open(cameraId?: string, micId?: string): Promise<LiveCamera> {
    const canSwitch = !!(g.MediaStreamTrackProcessor && g.MediaStreamTrackGenerator);
    const lc = new LiveCamera(canSwitch);
    const camera = await openCamera(cameraId);
    let mic: MediaStream;
    try {
      mic = await openMicrophone(micId);
    } catch (e) {
      stopStream(camera);
      throw e;
    }
    if (canSwitch) {
      lc.generator = new g.MediaStreamTrackGenerator!({ kind: 'video' });
      lc.audio = new AudioContext();
      await lc.audio.resume().catch(() => undefined);
      lc.audioOut = lc.audio.createMediaStreamDestination();
      lc.stream.addTrack(lc.generator);
      lc.stream.addTrack(lc.audioOut.stream.getAudioTracks()[0]!);
    }
    lc.attach(camera, mic);
    return lc;
  }

  get cameraId() {
    return this.camera?.getVideoTracks()[0]?.getSettings().deviceId;
  }
  get micId() {
    return this.mic?.getAudioTracks()[0]?.getSettings().deviceId;
  }
  /**
   * The devices' own tracks as they are now. The recorded tracks never end, even when the camera is unplugged:
   * whoever wants to know that device is gone watches these (and again after `onDevicesChanged`).
   */
  get deviceTracks(): MediaStreamTrack[] {
    return [...(this.camera?.getVideoTracks() ?? []), ...(this.mic?.getAudioTracks() ?? [])];
  }
  /** Called after a camera or microphone switch: `deviceTracks` changed. */
  onDevicesChanged: (() => void) | null = null;

  /** The microphone as it is now (for the volume bar, which should show the real input). */
  get microphone(): MediaStream | null {
    return this.mic;
  }

  async switchCamera(deviceId: string): Promise<void> {
    if (!this.canSwitch) return;
    const next = await openCamera(deviceId);
    this.attach(next, null);
  }

  async switchMicrophone(deviceId: string): Promise<void> {
    if (!this.canSwitch) return;
    const next = await openMicrophone(deviceId);
    this.attach(null, next);
  }

  private attach(camera: MediaStream | null, mic: MediaStream | null) {
    if (!this.canSwitch) {
      this.camera = camera;
      this.mic = mic;
      camera?.getVideoTracks().forEach((t) => this.stream.addTrack(t));
      mic?.getAudioTracks().forEach((t) => this.stream.addTrack(t));
      return this.onDevicesChanged?.();
    }
    if (camera) {
      const track = camera.getVideoTracks()[0]!;
      this.pipe?.abort();
      stopStream(this.camera);
      this.camera = camera;
      const pipe = new AbortController();
      this.pipe = pipe;
      const processor = new g.MediaStreamTrackProcessor!({ track });
      // preventClose/preventAbort keep the generator (and so the recording) alive across switches.
      processor.readable.pipeTo(this.generator!.writable, { signal: pipe.signal, preventClose: true, preventAbort: true }).catch(() => undefined);
    }
    if (mic) {
      this.audioSource?.disconnect();
      stopStream(this.mic);
      this.mic = mic;
      this.audioSource = this.audio!.createMediaStreamSource(mic);
      this.audioSource.connect(this.audioOut!);
    }
    this.onDevicesChanged?.();
  }

  close() {
    this.pipe?.abort();
    stopStream(this.camera);
    stopStream(this.mic);
    this.stream.getTracks().forEach((t) => t.stop());
    void this.audio?.close().catch(() => undefined);
  }
}
