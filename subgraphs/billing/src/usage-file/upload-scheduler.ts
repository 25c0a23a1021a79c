import { HOUR_MS, type Clock, type Logger } from '@lic/shared';
import { type UploadOverdueAlerts } from './upload-alerts.js';
import { type UsageFileService } from './usage-file.service.js';

/**
 * The daily automated upload. It wakes every hour and marks whatever files have completed since,
 * so a file is marked within an hour of its day's end (or of the restart that closed it); then it
 * announces uploads that became late or missing (UploadOverdueAlerts).
 */
export class UploadScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly files: UsageFileService,
    private readonly clock: Clock,
    private readonly logger?: Logger,
    private readonly intervalMs: number = HOUR_MS,
    private readonly overdue?: UploadOverdueAlerts,
  ) {}

  start(): void {
    const tick = () => {
      void this.runOnce();
      this.timer = setTimeout(tick, this.intervalMs);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, 1000);
    this.timer.unref();
  }

  /** One pass at the clock's now; returns how many files it marked uploaded. */
  runOnce(): Promise<number> {
    this.running ??= this.files
      .markAutomatedUploads(this.clock.now())
      .then(async (marked) => {
        if (marked > 0) this.logger?.info({ marked }, 'usage files uploaded automatically');
        await this.overdue
          ?.check()
          .catch((error: unknown) =>
            this.logger?.warn({ err: error }, 'late or missing upload check failed; will retry'),
          );
        return marked;
      })
      .catch((error: unknown) => {
        this.logger?.warn({ err: error }, 'automated usage upload failed; will retry');
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
  }
}
