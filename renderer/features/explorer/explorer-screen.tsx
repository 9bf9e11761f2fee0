// Every event of the case, filtered, in a virtualized list that pages (keyset, `events.page`) as it scrolls.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { EventFilter, EventRow } from '../../../shared/ipc/contract';
import { principalLabel } from '../../../shared/domain/principal-label';
import { notesByEvent, type EventNotes } from '../../state/annotations-slice';
import { eventPickedOn } from '../../state/selection-slice';
import { useApp, useAppStore, type AppState } from '../../state/store';
import { EventNotesMark } from '../../ui/annotation-editor';
import { ExportForm, type ExportChoice } from '../annotations/export-form';
import { EventInspector } from '../../ui/event-inspector';
import { asnLabel, countOf, formatNumber, formatTime } from '../../ui/format';
import { Histogram } from '../../ui/histogram';
import { logText } from '../../ui/log-text';
import { formatUtcInput, parseUtcInput } from '../../ui/utc-input';
import { focusLanding } from '../../ui/focus-landing';
import { isTyping } from '../../ui/is-typing';
import { ClippedName, PrincipalName, SourceName } from '../timeline/clipped-name';

const EVENT_CHOICES: ExportChoice[] = [
  { label: 'events (CSV)', format: 'csv', what: 'events' },
  { label: 'events (JSON)', format: 'json', what: 'events' },
];

const ROW_H = 28;
/** Ask for the next page when the last rendered row is this close to the end of what is loaded. */
const PREFETCH_ROWS = 60;

type Draft = Record<'from' | 'to' | 'principal' | 'account' | 'sourceIp' | 'asn' | 'country' | 'action' | 'outcome' | 'credential' | 'text', string>;

function draftOf(f: EventFilter): Draft {
  return {
    from: formatUtcInput(f.fromMs), to: formatUtcInput(f.toMs), principal: f.principal ?? '', account: f.account ?? '', sourceIp: f.sourceIp ?? '',
    asn: f.asn === undefined ? '' : String(f.asn), country: f.country ?? '', action: f.action ?? '', outcome: f.outcome ?? '', credential: f.credential ?? '', text: f.text ?? '',
  };
}

/** What stops a draft from being applied, in the words of its fields (the core's checks name internal keys). */
export function draftProblems(d: Draft): string[] {
  const problems: string[] = [];
  const asn = d.asn.trim().replace(/^AS/i, '');
  if (asn && !(/^\d{1,10}$/.test(asn) && Number(asn) <= 4_294_967_295)) problems.push(`ASN: a number such as AS16509, not “${d.asn.trim()}” (find a network by name with Text)`);
  if (d.country.trim() && !/^[A-Za-z]{2}$/.test(d.country.trim())) problems.push(`Country: a two-letter code such as DE, not “${d.country.trim()}”`);
  const from = parseUtcInput(d.from);
  const to = parseUtcInput(d.to);
  if (from === null) problems.push(`From: a UTC time such as 2026-10-19 14:05, not “${d.from.trim()}”`);
  if (to === null) problems.push(`To: a UTC time such as 2026-10-19 18:00, not “${d.to.trim()}”`);
  if (typeof from === 'number' && typeof to === 'number' && to <= from) problems.push('To: must be later than From');
  return problems;
}

function filterOf(d: Draft): EventFilter {
  const asn = d.asn.trim().replace(/^AS/i, '');
  return {
    fromMs: parseUtcInput(d.from) ?? undefined, toMs: parseUtcInput(d.to) ?? undefined, principal: d.principal, account: d.account, sourceIp: d.sourceIp,
    asn: asn ? Number(asn) : undefined, country: d.country.trim().toUpperCase(), action: d.action,
    outcome: d.outcome === 'success' || d.outcome === 'failure' || d.outcome === 'unknown' ? d.outcome : undefined, credential: d.credential, text: d.text,
  };
}

/**
 * Whether an event passes a filter as the core applies it (workbench-repo's EventQueries): `no` only when a field of
 * the event rules it out for certain; `unknown` where the row does not carry what the core compares (a principal id,
 * an action that differs only in case from another in the case).
 */
export function filterVerdict(e: EventRow, f: EventFilter): 'yes' | 'no' | 'unknown' {
  const same = (a: string | null, b: string) => a !== null && a.toLowerCase() === b.toLowerCase();
  if (f.fromMs !== undefined && e.timeMs < f.fromMs) return 'no';
  if (f.toMs !== undefined && e.timeMs >= f.toMs) return 'no';
  if (f.sourceIp !== undefined && e.sourceIp !== f.sourceIp) return 'no';
  if (f.credential !== undefined && e.credentialId !== f.credential) return 'no';
  if (f.country !== undefined && e.country !== f.country) return 'no';
  if (f.asn !== undefined && e.asn !== f.asn) return 'no';
  if (f.outcome !== undefined && e.outcome !== f.outcome) return 'no';
  if (f.account !== undefined && e.principalAccount !== f.account && e.targetAccount !== f.account) return 'no';
  if (f.action !== undefined && !same(e.action, f.action)) return 'no';
  let verdict: 'yes' | 'unknown' = 'yes';
  if (f.action !== undefined && e.action !== f.action) verdict = 'unknown';
  // The core also compares the principal's id, which a row does not carry.
  if (f.principal !== undefined && e.principalName !== f.principal) verdict = 'unknown';
  if (f.text !== undefined) {
    const needle = f.text.toLowerCase();
    const has = (v: string | null) => v !== null && v.toLowerCase().includes(needle);
    if (!(has(e.action) || has(e.principalName) || has(e.userAgent) || has(e.sourceIp) || e.nativeId === f.text)) return 'no';
  }
  return verdict;
}

/**
 * The event selected in the explorer, or null. An event picked in a chain's timeline is the timeline's: it was not picked
 * from these rows (shown here, it read as this list's selection: QA saw mallory's sign-in in the inspector over an
 * unfiltered list of 15,031 events), and it does not replace the one picked here.
 */
export function explorerSelection(s: Pick<AppState, 'selection'>): number | null {
  return eventPickedOn(s.selection, 'explorer');
}

export function ExplorerScreen() {
  const explorer = useApp((s) => s.explorer);
  const setFilter = useApp((s) => s.setExplorerFilter);
  const caseInfo = useApp((s) => s.caseInfo);
  const selectedId = useApp(explorerSelection);
  const shown = useApp((s) => s.detail.event);
  const selectEvent = useApp((s) => s.selectEvent);
  const step = useApp((s) => s.stepExplorerEvent);
  // The inspector keeps the event selected here before a filter was applied. When the results cannot hold it (every
  // page is loaded without it, or one of its fields rules it out), it is marked as outside.
  const outside = shown !== null && selectedId === shown.id && explorer.started && !explorer.rows.some((r) => r.id === shown.id)
    && ((!explorer.hasMore && !explorer.loading && explorer.error === null) || filterVerdict(shown, explorer.filter) === 'no');

  useEffect(() => {
    if (!explorer.started && caseInfo) void setFilter(explorer.filter);
  }, [explorer.started, explorer.filter, caseInfo, setFilter]);

  return (
    <div className="screen-fixed" data-testid="explorer-screen">
      <Filters />
      {/* j/k step from the list and from the inspector beside it: after the raw record's Formatted/Verbatim toggle they
          did nothing until the analyst clicked back into the list. */}
      <div className="explorer-body" onKeyDown={(e) => {
        if ((e.key !== 'j' && e.key !== 'k') || isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
        e.preventDefault();
        step(e.key === 'j' ? 1 : -1);
      }}>
        <div className="explorer-list">
          <ExportForm title="Export these events (every match, not only the loaded rows)" testId="explorer-export" choices={EVENT_CHOICES} request={{ filter: explorer.filter }} />
          {explorer.histogram && (
            <div className="overview">
              <div className="overview-label">
                <span data-testid="explorer-total">{explorer.total === null ? '…' : countOf(explorer.total, 'matching event')}</span>
                {explorer.total !== 0 && <span>{formatTime(explorer.histogram.fromMs, { seconds: false })} → {formatTime(explorer.histogram.toMs, { seconds: false })}</span>}
              </div>
              <Histogram histogram={explorer.histogram} height={32} label="Matching events over time" />
            </div>
          )}
          <EventList />
        </div>
        <EventInspector eventId={selectedId} outsideFilter={outside ? { onClear: () => selectEvent(null) } : undefined} />
      </div>
    </div>
  );
}

function Filters() {
  const applied = useApp((s) => s.explorer.filter);
  const setFilter = useApp((s) => s.setExplorerFilter);
  const [draft, setDraft] = useState<Draft>(() => draftOf(applied));
  const [problems, setProblems] = useState<string[]>([]);
  // A filter applied from elsewhere (a bookmark, another case) replaces the draft, and the complaints about the old one.
  useEffect(() => {
    setDraft(draftOf(applied));
    setProblems([]);
  }, [applied]);
  // What a field takes is a hint beside its label, which wraps; a placeholder only gives an example short enough for the
  // narrowest column (at 1280×800 longer ones were cut: "ARN, id, user, role or se", "address or CIDR, 203.0").
  const field = (key: keyof Draft, label: string, { hint, placeholder = '', mono = false }: { hint?: string; placeholder?: string; mono?: boolean } = {}) => (
    <label className="field">
      <span>{label}{hint && <> <span className="hint">{hint}</span></>}</span>
      <input
        className={mono ? 'input mono' : 'input'}
        type="text"
        value={draft[key]}
        placeholder={placeholder}
        spellCheck={false}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        data-filter={key}
      />
    </label>
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = draftProblems(draft);
    setProblems(found);
    if (found.length === 0) void setFilter(filterOf(draft));
  };
  const active = Object.keys(applied).length;
  // Clear also empties what was typed and never applied (a time that could not be read, say), with its complaints.
  const typed = Object.values(draft).some((v) => v !== '');
  const clear = () => {
    setDraft(draftOf({}));
    setProblems([]);
    if (active > 0) void setFilter({});
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Event filters" data-testid="explorer-filters">
      {field('from', 'From (UTC)', { placeholder: 'YYYY-MM-DD HH:MM:SS', mono: true })}
      {field('to', 'To (UTC)', { placeholder: 'YYYY-MM-DD HH:MM:SS', mono: true })}
      {field('principal', 'Principal', { hint: 'ARN, id, user, role or session' })}
      {field('account', 'Account', { placeholder: 'e.g. 111111111111' })}
      {field('sourceIp', 'Source IP', { hint: 'address or CIDR', placeholder: 'e.g. 203.0.113.0/24' })}
      {field('asn', 'ASN', { placeholder: 'e.g. AS16509' })}
      {field('country', 'Country', { placeholder: 'e.g. DE' })}
      {field('action', 'Action', { placeholder: 'e.g. AssumeRole' })}
      <label className="field">
        <span>Outcome</span>
        <select className="select" value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value })} data-filter="outcome">
          <option value="">any</option>
          <option value="success">success</option>
          <option value="failure">failure</option>
          <option value="unknown">unknown</option>
        </select>
      </label>
      {field('credential', 'Session', { hint: 'its credential, or an Entra sessionId', placeholder: 'e.g. ASIA…' })}
      {field('text', 'Text', { hint: 'action, principal, agent, IP, id' })}
      <div className="actions">
        <button type="submit" className="btn primary" data-testid="apply-filters">Apply</button>
        <button
          type="button"
          className="btn"
          disabled={active === 0 && !typed}
          onClick={clear}
        >
          Clear
        </button>
      </div>
      {problems.length > 0 && (
        <ul className="error-text filter-problems" role="alert" data-testid="filter-problems">{problems.map((p) => <li key={p}>{p}</li>)}</ul>
      )}
    </form>
  );
}

function EventList() {
  const store = useAppStore();
  const rows = useApp((s) => s.explorer.rows);
  const hasMore = useApp((s) => s.explorer.hasMore);
  const loading = useApp((s) => s.explorer.loading);
  const error = useApp((s) => s.explorer.error);
  const filtered = useApp((s) => Object.keys(s.explorer.filter).length > 0);
  const started = useApp((s) => s.explorer.started);
  const selectedId = useApp(explorerSelection);
  const selectEvent = useApp((s) => s.selectEvent);
  const loadMore = useApp((s) => s.loadMoreExplorer);
  const annotations = useApp((s) => s.annotations);
  const notes = useMemo(() => notesByEvent(annotations, rows), [annotations, rows]);
  // Notes get a column once a loaded event is annotated (an empty one took the room Action and Principal need).
  const notesClass = notes.size > 0 ? ' has-notes' : '';
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);

  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;

  useEffect(() => {
    if (hasMore && !loading && lastIndex >= rows.length - PREFETCH_ROWS) void loadMore();
  }, [lastIndex, rows.length, hasMore, loading, loadMore]);

  // Keep the pick in view however it moved (keys here or in the inspector, a click, the screen shown again), not as
  // more pages load.
  const selectedIndex = rows.findIndex((r) => r.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedId]);

  // The row the focused list points at (aria-activedescendant): the pick, or the first row before any is picked. Only a
  // rendered row can be pointed at; the list is virtualized.
  const activeIndex = selectedIndex >= 0 ? selectedIndex : 0;
  const activeRow = items.some((i) => i.index === activeIndex) ? rows[activeIndex] : undefined;

  // j/k are the screen's (ExplorerScreen). Enter or Space opens the row pointed at in the inspector when none is picked.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const keys: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20 };
    const delta = keys[e.key];
    if (delta) {
      e.preventDefault();
      store.getState().stepExplorerEvent(delta);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      const row = rows[activeIndex];
      if (row && row.id !== selectedId) selectEvent(row.id);
    }
  };

  return (
    <>
      <div className={`vhead${notesClass}`} role="row" ref={headRef}>
        <div>Time (UTC)</div>
        <div>Action</div>
        <div>Principal</div>
        <div>Account</div>
        <div>Source IP</div>
        <div>Country</div>
        <div>Network</div>
        <div>Outcome</div>
        {notesClass && <div title="Your verdict on the event, or on its session (the credential it was made with)">Notes</div>}
      </div>
      <div
        ref={scrollRef}
        className="vscroll"
        tabIndex={0}
        onKeyDown={onKeyDown}
        // The header sits outside the scrolling rows: it follows them sideways, so each title stays over its column.
        onScroll={(e) => { if (headRef.current) headRef.current.scrollLeft = e.currentTarget.scrollLeft; }}
        role="grid"
        aria-label="Events"
        aria-rowcount={rows.length}
        aria-activedescendant={activeRow ? explorerRowId(activeRow.id) : undefined}
        {...focusLanding()}
        data-testid="explorer-list"
        data-loaded={rows.length}
        data-has-more={hasMore}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <div key={item.key} id={row ? explorerRowId(row.id) : undefined} style={{ transform: `translateY(${item.start}px)`, height: ROW_H }} className={`vrow${notesClass}`} role="row" aria-rowindex={item.index + 1}
                data-active={row && row === activeRow ? true : undefined} aria-selected={row ? row.id === selectedId : undefined} data-testid={row ? 'explorer-row' : 'explorer-loading'} data-event-id={row?.id} data-action={row?.action} data-source-ip={row?.sourceIp ?? undefined}
                onClick={() => row && selectEvent(row.id)}>
                {row ? <ExplorerCells row={row} notes={notes.get(row.id)} notesColumn={notesClass !== ''} /> : <div className="muted">{loading ? 'Loading more…' : ''}</div>}
              </div>
            );
          })}
        </div>
        {started && !loading && rows.length === 0 && <div className="empty">{error ?? (filtered ? 'No events match these filters.' : 'This case holds no events yet: import evidence into it first.')}</div>}
      </div>
      <div className="list-status">
        <span data-testid="explorer-loaded">{formatNumber(rows.length)} loaded{hasMore ? ', more as you scroll' : ''}</span>
        {loading && <span>loading…</span>}
        {error && <span className="error-text">{error}</span>}
        <div className="grow" />
        <span><kbd>j</kbd>/<kbd>k</kbd> step · <kbd>PgDn</kbd> page</span>
      </div>
    </>
  );
}

/** A row's element id, for the list's aria-activedescendant. */
function explorerRowId(eventId: number): string {
  return `explorer-row-${eventId}`;
}

function ExplorerCells({ row, notes, notesColumn }: { row: EventRow; notes: EventNotes | undefined; notesColumn: boolean }) {
  const principal = principalLabel(row);
  return (
    <>
      <div className="mono time" role="gridcell" title={formatTime(row.timeMs, { millis: true })}>{formatTime(row.timeMs, { zone: false })}</div>
      <div role="gridcell" className="action" title={logText(row.action)}><ClippedName name={row.action} title={null} testId="action-name" /></div>
      {/* An AWSAccount caller (the entry side of every cross-account role assumption) has no name: its account stands in. */}
      <div className="mono" role="gridcell" title={logText(principal, '')}><PrincipalName name={principal} /></div>
      <div className="mono" role="gridcell">{logText(row.principalAccount)}</div>
      <div className="mono" role="gridcell" title={logText(row.sourceIp ?? row.sourceService)}><SourceName value={row.sourceIp ?? row.sourceService} /></div>
      <div role="gridcell">{logText(row.country)}</div>
      <div role="gridcell" title={logText(asnLabel(row.asn, row.asOrg))}>{logText(asnLabel(row.asn, row.asOrg))}</div>
      <div role="gridcell" className={row.outcome === 'success' ? '' : 'failure'}>{logText(row.errorCode ?? row.outcome)}</div>
      {notesColumn && <div role="gridcell" className="row-notes">{notes && <span data-testid="explorer-annotated"><EventNotesMark notes={notes} /></span>}</div>}
    </>
  );
}
