import { useId } from 'preact/hooks';
import { BarChart } from '../components/BarChart.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { useScope } from '../context.js';
import { useQuery } from '../hooks.js';
import { periodLabel, previousPeriodStarts } from '../lib/periods.js';
import { Time } from '../components/Time.js';
import { type Route } from '../routing.js';
import { UsageTrend } from './UsageTrend.js';
import { CurrentBillingPeriodDocument, UsageReportDocument } from '../__generated__/graphql.js';

interface Props {
  route: Route;
  navigate(route: Route): void;
}

const PERIODS_LISTED = 12;

/** The monthly usage report of the chosen account for a billing period (28th to 27th, UTC). */
export function UsageView({ route, navigate }: Props) {
  const { account } = useScope();
  const current = useQuery(CurrentBillingPeriodDocument, {});
  const starts = current.data ? previousPeriodStarts(current.data.billingPeriod.start, PERIODS_LISTED) : [];
  const requested = route.params['period'];
  const periodStart = starts.find((s) => s === requested) ?? starts[0];
  const pickerId = useId();

  return (
    <section aria-labelledby="usage-heading" class="view">
      <div class="view-head">
        <h1 id="usage-heading">Usage</h1>
        {starts.length > 0 && (
          <div class="field inline">
            <label for={pickerId}>Billing period</label>
            <select
              id={pickerId}
              value={periodStart}
              onChange={(e) => navigate({ view: 'usage', params: { period: e.currentTarget.value } })}
            >
              {starts.map((s, i) => (
                <option key={s} value={s}>
                  {periodLabel(s)}
                  {i === 0 ? ' (current)' : ''}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {current.error && <ErrorNote error={current.error} retry={current.refetch} />}
      {account && periodStart && (
        <UsageReport key={`${account.id}:${periodStart}`} accountId={account.id} periodStart={periodStart} />
      )}
    </section>
  );
}

function UsageReport({ accountId, periodStart }: { accountId: string; periodStart: string }) {
  const { data, error, refetch } = useQuery(UsageReportDocument, { accountId, periodStart });
  const { account } = useScope();
  const serverIds = ((account?.id === accountId ? account.servers : []) ?? [])
    .filter((s) => !s.standby)
    .map((s) => s.id);
  if (error) return <ErrorNote error={error} retry={refetch} />;
  if (!data) return <p role="status">Loading the usage report…</p>;
  const report = data.usageReport;
  const lines = report.lines;
  const billableTotal = lines.reduce((sum, l) => sum + l.billableQuantity, 0);
  return (
    <div class="usage" data-testid="usage-report">
      <dl class="fact-row">
        <div>
          <dt>Period</dt>
          <dd>{periodLabel(report.period.start)}</dd>
        </div>
        <div>
          <dt>Upload deadline</dt>
          <dd>
            <Time iso={report.period.uploadDeadline} zone />
          </dd>
        </div>
        <div>
          <dt>Billing basis</dt>
          <dd>{report.basis === 'NAMED' ? 'Named users' : 'Concurrent users'}</dd>
        </div>
        <div>
          <dt>Category mapping</dt>
          <dd>version {report.categoryVersion}</dd>
        </div>
        <div>
          <dt>Figures</dt>
          <dd>
            {report.final ? (
              'Final: the period has ended'
            ) : (
              <>
                Running, as of <Time iso={report.asOf} zone />
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Billable total</dt>
          <dd class="strong" data-testid="billable-total">
            {billableTotal}
          </dd>
        </div>
      </dl>
      {lines.length === 0 ? (
        <p class="empty">No usage was recorded in this period.</p>
      ) : (
        <div class="usage-grid">
          <figure class="panel chart-panel" aria-labelledby="usage-chart-caption">
            <h2>Named, peak and billable users per category</h2>
            <BarChart
              categories={lines.map((l) => String(l.category))}
              series={[
                {
                  label: 'Named users',
                  colorVar: '--chart-named',
                  fallback: '#6366f1',
                  values: lines.map((l) => l.namedUsers),
                },
                {
                  label: 'Peak concurrent',
                  colorVar: '--chart-peak',
                  fallback: '#0ea5e9',
                  values: lines.map((l) => l.peakConcurrent),
                },
                {
                  label: 'Billable concurrent',
                  colorVar: '--chart-billable',
                  fallback: '#f59e0b',
                  values: lines.map((l) => l.billableConcurrent),
                },
              ]}
            />
            <figcaption id="usage-chart-caption">
              Billable concurrent ignores short peaks: the highest level reached for at least{' '}
              {report.billableConcurrentMinutes} minutes in total in the period. The table holds the same
              figures.
            </figcaption>
          </figure>
          <div class="panel table-panel">
            <h2 id="usage-table-heading">Report</h2>
            <div class="table-scroll" role="region" aria-labelledby="usage-table-heading" tabIndex={0}>
              <table class="numeric cards">
                <thead>
                  <tr>
                    <th scope="col">Category</th>
                    <th scope="col">Named users</th>
                    <th scope="col">Peak concurrent</th>
                    <th scope="col">Peak reached</th>
                    <th scope="col">Billable concurrent</th>
                    <th scope="col">Active hours</th>
                    <th scope="col">Billable quantity</th>
                  </tr>
                </thead>
                <tbody>
                  {lines.map((l) => (
                    <tr key={l.category} data-category={l.category}>
                      <th scope="row">{l.category}</th>
                      <td data-label="Named users">{l.namedUsers}</td>
                      <td data-label="Peak concurrent">{l.peakConcurrent}</td>
                      <td data-label="Peak reached">
                        <Time iso={l.peakAt} />
                      </td>
                      <td data-label="Billable concurrent">{l.billableConcurrent}</td>
                      <td data-label="Active hours">{l.activeHours.toFixed(1)}</td>
                      <td class="strong" data-label="Billable quantity">
                        {l.billableQuantity}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={6}>
                      Billable total
                    </th>
                    <td class="strong" data-label="Billable quantity">
                      {billableTotal}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          </div>
          {serverIds.length > 0 && (
            <UsageTrend
              serverIds={serverIds}
              periodStart={report.period.start}
              periodEnd={report.period.end}
            />
          )}
        </div>
      )}
    </div>
  );
}
