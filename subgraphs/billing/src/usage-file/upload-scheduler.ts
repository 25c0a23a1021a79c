import { BackgroundTask, HOUR_MS, type Clock, type Logger } from '@lic/shared';
import { type UploadOverdueAlerts } from './upload-alerts.js';
import { type UsageFileService } from './usage-file.service.js';

/**
 * The daily automated upload. It wakes every hour and marks whatever files have completed since,
 * so a file is marked within an hour of its day's end (or of the restart that closed it); then it
 * announces uploads that became late or missing (UploadOverdueAlerts).
 */
export class UploadScheduler {
  /** The pass: a poll (or a runOnce) while one runs shares it. */
  private readonly task: BackgroundTask<number>;

  constructor(
    private readonly files: UsageFileService,
    private readonly clock: Clock,
    private readonly logger?: Logger,
    intervalMs: number = HOUR_MS,
    private readonly overdue?: UploadOverdueAlerts,
  ) {
    this.task = new BackgroundTask({
      run: () => this.pass(),
      pollMs: intervalMs,
      firstPollMs: 1000,
      whileRunning: 'skip',
    });
  }

  start(): void {
    this.task.start();
  }

  /** One pass at the clock's now; returns how many files it marked uploaded. */
  runOnce(): Promise<number> {
    return this.task.runNow({ join: true });
  }

  private pass(): Promise<number> {
    return this.files
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
      });
  }

  stop(): Promise<void> {
    return this.task.stop();
  }
}
