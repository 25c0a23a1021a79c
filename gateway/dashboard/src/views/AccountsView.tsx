import { useId, useState } from 'preact/hooks';
import { request } from '../api/graphql.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { useScope, useSession } from '../context.js';
import { useQuery } from '../hooks.js';
import { Time } from '../components/Time.js';
import {
  AccountDetailsDocument,
  type ActiveFilter,
  ActivationFilesDocument,
  DownloadActivationFileDocument,
} from '../__generated__/graphql.js';

/** The account as a portal shows it: install sites, orders with what remains, activation files. */
export function AccountsView() {
  const { account } = useScope();
  const { data, error, refetch } = useQuery(AccountDetailsDocument, account ? { id: account.id } : undefined);
  const details = data?.account;
  return (
    <section aria-labelledby="account-heading" class="view">
      <div class="view-head">
        <h1 id="account-heading">{details?.name ?? account?.name ?? 'Account'}</h1>
        {details && (
          <p class="muted">
            GARN {details.garn} · {String(details.kind).toLowerCase()}
          </p>
        )}
      </div>
      {error && <ErrorNote error={error} retry={refetch} />}
      {!details && !error && <p role="status">Loading the account…</p>}
      {details && (
        <>
          <div class="grid-2">
            <section class="panel" aria-labelledby="sites-heading">
              <h2 id="sites-heading">Install sites</h2>
              {details.installSites.length === 0 ? (
                <p class="empty">No install site yet.</p>
              ) : (
                <ul class="sites">
                  {details.installSites.map((s) => (
                    <li key={s.id}>
                      <strong>{s.name}</strong>
                      {s.active ? '' : <span class="tag">deactivated</span>}
                      {s.address && <span class="muted"> · {s.address}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section class="panel" aria-labelledby="orders-heading">
              <h2 id="orders-heading">Sales orders</h2>
              {details.salesOrders.length === 0 ? (
                <p class="empty">No sales order yet.</p>
              ) : (
                <div class="orders">
                  {details.salesOrders.map((order) => (
                    <details key={order.id}>
                      <summary>
                        Order {order.orderNumber} · {String(order.licenseModel).toLowerCase()} ·{' '}
                        {order.lines.length} line
                        {order.lines.length === 1 ? '' : 's'}
                      </summary>
                      <table class="numeric cards">
                        <thead>
                          <tr>
                            <th scope="col">Part number</th>
                            <th scope="col" class="text">
                              Item
                            </th>
                            <th scope="col">Assigned</th>
                            <th scope="col">Pooled</th>
                          </tr>
                        </thead>
                        <tbody>
                          {order.lines.map((line, i) => (
                            <tr key={`${line.partNumber}-${i}`}>
                              <th scope="row">{line.partNumber}</th>
                              <td class="text wide" data-label="Item">
                                {line.description}
                              </td>
                              <td data-label="Assigned">{line.assignedQuantity}</td>
                              <td data-label="Pooled">{line.pooledQuantity}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </details>
                  ))}
                </div>
              )}
            </section>
          </div>
          <section class="panel table-panel" aria-labelledby="summary-heading">
            <h2 id="summary-heading">Ordered items</h2>
            {details.summary.length === 0 ? (
              <p class="empty">Nothing ordered yet.</p>
            ) : (
              <div class="table-scroll" role="region" aria-labelledby="summary-heading" tabIndex={0}>
                <table class="numeric cards">
                  <thead>
                    <tr>
                      <th scope="col">Part number</th>
                      <th scope="col" class="text">
                        Item
                      </th>
                      <th scope="col" class="text">
                        Model
                      </th>
                      <th scope="col">Ordered</th>
                      <th scope="col">Used</th>
                      <th scope="col">Remaining</th>
                    </tr>
                  </thead>
                  <tbody>
                    {details.summary.map((line) => (
                      <tr key={`${line.partNumber}-${line.licenseModel}`} data-part={line.partNumber}>
                        <th scope="row">{line.partNumber}</th>
                        <td class="text wide" data-label="Item">
                          {line.description}
                        </td>
                        <td class="text" data-label="Model">
                          {line.licenseModel.toLowerCase()}
                        </td>
                        <td data-label="Ordered">{line.ordered}</td>
                        <td data-label="Used">{line.used}</td>
                        <td class={line.remaining === 0 ? 'alert strong' : 'strong'} data-label="Remaining">
                          {line.remaining}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <ActivationFiles accountId={details.id} sites={details.installSites} />
        </>
      )}
    </section>
  );
}

function ActivationFiles({
  accountId,
  sites,
}: {
  accountId: string;
  sites: Array<{ id: string; name: string }>;
}) {
  const { session } = useSession();
  const [siteId, setSiteId] = useState('');
  const [active, setActive] = useState<ActiveFilter>('YES');
  const [downloadError, setDownloadError] = useState<string | undefined>(undefined);
  const filter = { active, ...(siteId ? { installSiteId: siteId } : {}) };
  const { data, error, refetch } = useQuery(ActivationFilesDocument, { accountId, filter });
  const ids = { site: useId(), active: useId() };

  const download = async (id: string) => {
    setDownloadError(undefined);
    try {
      const { downloadActivationFile: file } = await request(
        DownloadActivationFileDocument,
        { id },
        session.token,
      );
      const url = URL.createObjectURL(
        new Blob([file.content], { type: file.contentType || 'application/octet-stream' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = file.fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      refetch();
    } catch (failure) {
      setDownloadError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <section class="panel" aria-labelledby="files-heading">
      <h2 id="files-heading">Activation files</h2>
      <form class="row filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter activation files">
        <div class="field">
          <label for={ids.site}>Install site</label>
          <select id={ids.site} value={siteId} onChange={(e) => setSiteId(e.currentTarget.value)}>
            <option value="">All sites</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={ids.active}>Status</label>
          <select
            id={ids.active}
            value={active}
            onChange={(e) => setActive(e.currentTarget.value as ActiveFilter)}
          >
            <option value="YES">Active</option>
            <option value="NO">Deactivated</option>
            <option value="ALL">All</option>
          </select>
        </div>
      </form>
      {error && <ErrorNote error={error} retry={refetch} />}
      {downloadError && (
        <p class="error" role="alert">
          Download failed: {downloadError}
        </p>
      )}
      {data && data.activationFiles.length === 0 && <p class="empty">No activation file matches.</p>}
      {data && data.activationFiles.length > 0 && (
        <div class="table-scroll" role="region" aria-labelledby="files-heading" tabIndex={0}>
          <table class="cards">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Type</th>
                <th scope="col">Site</th>
                <th scope="col">Generated</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Downloads
                </th>
                <th scope="col">Keys</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.activationFiles.map((f) => (
                <tr key={f.id}>
                  <th scope="row">{f.fileName}</th>
                  <td data-label="Type">{String(f.licenseType).replace(/_/g, ' ').toLowerCase()}</td>
                  <td data-label="Site">{f.installSite?.name ?? '—'}</td>
                  <td data-label="Generated">
                    <Time iso={f.generatedAt} />
                  </td>
                  <td data-label="Expires">
                    <Time iso={f.expiresAt} />
                  </td>
                  <td data-label="Status">{f.active ? 'Active' : 'Deactivated'}</td>
                  <td class="num" data-label="Downloads">
                    {f.downloadCount}
                  </td>
                  <td class="wide">
                    <details>
                      <summary>{f.keys.length} keys</summary>
                      <ul class="keys">
                        {f.keys.map((k) => (
                          <li key={k.key}>
                            {k.key} × {k.quantity}
                          </li>
                        ))}
                      </ul>
                    </details>
                  </td>
                  <td class="wide">
                    <button
                      type="button"
                      onClick={() => void download(f.id)}
                      aria-label={`Download ${f.fileName}`}
                    >
                      Download
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
