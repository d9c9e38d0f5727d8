// Starts the real face engine on first use. Most server starts (and every end-to-end test server) never verify
// a face; loading Human's models costs ~230 MB and seconds per worker, so it is paid only when needed.
import type { FaceAnalysis, FaceEngine, FaceEngineInfo } from './port.ts';
import { cosineSimilarity } from './port.ts';

export class LazyFaceEngine implements FaceEngine {
  private engine: Promise<FaceEngine> | null = null;
  constructor(private readonly start: () => Promise<FaceEngine>) {}

  private get(): Promise<FaceEngine> {
    // A failed start is not cached: the next request tries again (and reports the cause again).
    this.engine ??= this.start().catch((e: unknown) => {
      this.engine = null;
      throw e;
    });
    return this.engine;
  }
  async analyze(image: Buffer): Promise<FaceAnalysis> {
    return (await this.get()).analyze(image);
  }
  similarity(a: readonly number[], b: readonly number[]): number {
    return cosineSimilarity(a, b);
  }
  info(): FaceEngineInfo {
    return { backend: this.engine ? 'started' : 'not started', workers: 0 };
  }
  async close(): Promise<void> {
    if (this.engine) await (await this.engine.catch(() => null))?.close();
  }
}
