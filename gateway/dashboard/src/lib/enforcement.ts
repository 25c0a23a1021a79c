/** What a stage means for the people using a server (docs/domain.md section 4). */
export interface StageFacts {
  stage: number;
  applicable: boolean;
  supervisorEnabled: boolean;
  callPortLimit: number | null | undefined;
}

export const STAGE_LABELS: Record<number, string> = {
  1: 'Fully functional',
  2: 'Warning',
  3: 'Obtrusive warning',
  4: 'Supervisor licences disabled',
  5: 'Call ports limited',
  6: 'Unlicensed',
};

export type BannerLevel = 'none' | 'warning' | 'obtrusive' | 'disabled';

/** Stage 2 warns quietly, 3 obtrusively; from 4 features are switched off. */
export function bannerLevel(facts: Pick<StageFacts, 'stage' | 'applicable'>): BannerLevel {
  if (!facts.applicable || facts.stage <= 1) return 'none';
  if (facts.stage === 2) return 'warning';
  if (facts.stage === 3) return 'obtrusive';
  return 'disabled';
}

/** The effects in force, in words: what is switched off or limited. */
export function disabledFeatures(facts: StageFacts): string[] {
  if (!facts.applicable) return [];
  const effects: string[] = [];
  if (facts.stage >= 4 || !facts.supervisorEnabled) {
    effects.push('Supervisor licences cannot be acquired; held ones were released');
  }
  if (facts.stage >= 6) {
    effects.push(`The server is unlicensed: ${facts.callPortLimit ?? 2} call ports, nothing else`);
  } else if (facts.callPortLimit !== null && facts.callPortLimit !== undefined) {
    effects.push(`Call ports limited to ${facts.callPortLimit}`);
  }
  return effects;
}

export function stageLabel(stage: number): string {
  return STAGE_LABELS[stage] ?? `Stage ${stage}`;
}
