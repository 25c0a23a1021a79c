import { useId, useState } from 'preact/hooks';
import { type ApiError, request } from '../api/graphql.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { useScope, useSession } from '../context.js';
import { useQuery } from '../hooks.js';
import { formatUtc } from '../lib/time.js';
import { type Route } from '../routing.js';
import { AuditLogCsvDocument, AuditLogDocument } from '../__generated__/graphql.js';

interface Props {
  route: Route;
  navigate(route: Route): void;
}

const PAGE = 50;

/**
 * The audit log of the chosen account (administrators): every audited mutation, who made it with
 * which credential, what it changed, from where, and how it ended; filtered by operation, subject
 * or target, paged newest first, and downloadable as CSV.
 */
export function AuditView({ route, navigate }: Props) {
  const { account } = useScope();
  const operation = route.params['operation'] ?? '';
  const subject = route.params['subject'] ?? '';
  const target = route.params['target'] ?? '';
  const ids = { operation: useId(), subject: useId(), target: useId() };
  const filter = {
    ...(operation ? { operation } : {}),
    ...(subject ? { subject } : {}),
    ...(target ? { targetId: target } : {}),
  };
  const setFilter = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    navigate({
      view: 'audit',
      params: { operation: text('operation'), subject: text('subject'), target: text('target') },
    });
  };
  return (
    <section aria-labelledby="audit-heading" class="view">
      <div class="view-head">
        <h1 id="audit-heading">Audit log</h1>
      </div>
      <form
        class="audit-filter"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(e.currentTarget);
        }}
      >
        <div class="field">
          <label for={ids.operation}>Operation</label>
          <input id={ids.operation} name="operation" value={operation} placeholder="e.g. registerServer" />
        </div>
        <div class="field">
          <label for={ids.subject}>Who (subject)</label>
          <input id={ids.subject} name="subject" value={subject} />
        </div>
        <div class="field">
          <label for={ids.target}>Target id</label>
          <input id={ids.target} name="target" value={target} />
        </div>
        <div class="row">
          <button type="submit">Filter</button>
        </div>
      </form>
      {account && (
        <AuditPages key={`${account.id}:${JSON.stringify(filter)}`} accountId={account.id} filter={filter} />
      )}
    </section>
  );
}

function AuditPages({ accountId, filter }: { accountId: string; filter: Record<string, string> }) {
  const { session } = useSession();
  // The cursors of the pages before this one (the first page has none).
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const after = cursors.at(-1);
  const { data, error, refetch } = useQuery(AuditLogDocument, {
    accountId,
    filter,
    first: PAGE,
    ...(after ? { after } : {}),
  });
  const [csvError, setCsvError] = useState<ApiError | undefined>(undefined);
  const download = async () => {
    setCsvError(undefined);
    try {
      const { auditLogCsv } = await request(AuditLogCsvDocument, { accountId, filter }, session.token);
      const url = URL.createObjectURL(new Blob([auditLogCsv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `audit-${accountId}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (failure) {
      setCsvError(failure as ApiError);
    }
  };
  if (error) return <ErrorNote error={error} retry={refetch} />;
  if (!data) return <p role="status">Loading the audit log…</p>;
  const { edges, pageInfo } = data.auditLog;
  return (
    <div class="audit" data-testid="audit-log">
      <div class="row">
        <button type="button" onClick={() => void download()}>
          Download CSV
        </button>
      </div>
      {csvError && <ErrorNote error={csvError} prefix="The CSV export failed" />}
      {edges.length === 0 ? (
        <p class="empty">No audited changes{Object.keys(filter).length > 0 ? ' match the filter' : ''}.</p>
      ) : (
        <ol class="audit-entries">
          {edges.map(({ node: e }) => (
            <li
              key={e.id}
              class={`audit-entry ${e.outcome === 'REFUSED' ? 'refused' : ''}`}
              data-testid="audit-entry"
            >
              <div class="audit-line">
                <strong class="audit-field">{e.field}</strong>
                <span class={`badge ${e.outcome === 'REFUSED' ? 'warn' : 'ok'}`}>
                  {e.outcome === 'REFUSED' ? `Refused${e.errorCode ? ` (${e.errorCode})` : ''}` : 'Succeeded'}
                </span>
                <time dateTime={e.occurredAt}>{formatUtc(e.occurredAt, true)}</time>
              </div>
              <dl class="audit-facts">
                <div>
                  <dt>Who</dt>
                  <dd>
                    {e.subject ?? 'not signed in'} {e.roles.length > 0 ? `(${e.roles.join(', ')})` : ''}
                  </dd>
                </div>
                <div>
                  <dt>Credential</dt>
                  <dd>{e.credentialKind ? `${e.credentialKind} ${e.credentialId ?? ''}` : '—'}</dd>
                </div>
                <div>
                  <dt>Targets</dt>
                  <dd class="wrap">{e.targetIds.join(', ') || '—'}</dd>
                </div>
                <div>
                  <dt>From</dt>
                  <dd class="wrap">
                    {e.clientAddress ?? '—'} · request {e.requestId ?? '—'}
                  </dd>
                </div>
              </dl>
              <details>
                <summary>Change</summary>
                <pre class="audit-change">{e.change}</pre>
              </details>
            </li>
          ))}
        </ol>
      )}
      <div class="row">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button
          type="button"
          disabled={!pageInfo.hasNextPage || !pageInfo.endCursor}
          onClick={() => setCursors([...cursors, pageInfo.endCursor ?? undefined])}
        >
          Older
        </button>
      </div>
    </div>
  );
}
