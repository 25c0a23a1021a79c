/** One measured figure, with its target when the issue names one. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Human-readable target, e.g. "≥ 1000 cycles/s" or "≤ 0.8× Hive Gateway". */
  target?: string;
  met?: boolean;
}

export interface ScenarioResult {
  scenario: string;
  figures: Figure[];
  notes?: string[];
  /**
   * Set when the scenario could not measure all it should (its figures are what it did measure);
   * the runner reports the scenario as failed with this text.
   */
  failure?: string;
}

export interface ScenarioContext {
  /** Run briefly (used by a test so that the suite cannot rot). */
  quick: boolean;
  /** Reports progress on the console: what is running and how far (0..1). */
  progress(message: string, fraction?: number): void;
}

export interface Scenario {
  name: string;
  description: string;
  run(context: ScenarioContext): Promise<ScenarioResult>;
}
