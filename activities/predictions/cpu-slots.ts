import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../libs/config/config.module';
import { AppConfig } from '../../libs/config/config';

/**
 * At most ML_CPU_JOBS CPU-heavy steps (each on ML_THREADS threads) at once in this worker process;
 * the others wait their turn, so the cores are not shared ever thinner while activities pile up.
 */
@Injectable()
export class CpuSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) cfg: AppConfig) {
    this.free = cfg.ML_CPU_JOBS;
  }

  /** Runs `work` once a slot is free; aborting while waiting gives up the turn and rejects. */
  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.free > 0) this.free--;
    else await this.turn(signal);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }

  private turn(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = () => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      this.waiting.push(go);
      signal?.addEventListener('abort', cancel, { once: true });
    });
  }
}
