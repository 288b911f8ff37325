/** Small building blocks shared by the pages: cards, fields with their reason, stats, empty/error states. */
import { useId, type ReactNode } from 'react';
import type { JobStatus } from '../../../shared/contract/run';

export function Card(props: { title: string; actions?: ReactNode; children: ReactNode; className?: string; id?: string }) {
  const headingId = useId();
  return (
    <section className={`card ${props.className ?? ''}`} aria-labelledby={headingId} id={props.id}>
      <header className="card-head">
        <h2 id={headingId}>{props.title}</h2>
        {props.actions ? <div className="card-actions">{props.actions}</div> : null}
      </header>
      <div className="card-body">{props.children}</div>
    </section>
  );
}

const STATUS_LABEL: Record<JobStatus, string> = {
  idle: 'Idle',
  preparing: 'Preparing',
  running: 'Running',
  pausing: 'Pausing',
  paused: 'Paused',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function statusLabel(status: JobStatus): string {
  return STATUS_LABEL[status];
}

export function StatusBadge({ status, testId }: { status: JobStatus; testId?: string }) {
  return (
    <span className={`badge status-${status}`} data-testid={testId} data-status={status}>
      <span className="dot" aria-hidden="true" />
      {STATUS_LABEL[status]}
    </span>
  );
}

export function Stat(props: { label: string; value: ReactNode; hint?: string; testId?: string }) {
  return (
    <div className="stat">
      <dt>{props.label}</dt>
      <dd data-testid={props.testId} title={props.hint}>
        {props.value}
      </dd>
    </div>
  );
}

/** A nothing-here-yet message that always says what to do next. */
export function EmptyState(props: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <p className="empty-title">{props.title}</p>
      <div className="empty-text">{props.children}</div>
      {props.action ? <div className="empty-action">{props.action}</div> : null}
    </div>
  );
}

export function ErrorNote(props: { children: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <div className="error-note" role="alert" data-testid={props.testId}>
      <span className="error-icon" aria-hidden="true">!</span>
      <div>{props.children}</div>
      {props.action ? <div className="error-action">{props.action}</div> : null}
    </div>
  );
}

export function Spinner({ label }: { label: string }) {
  return (
    <span className="spinner" role="status">
      <span className="spinner-ring" aria-hidden="true" />
      {label}
    </span>
  );
}

interface FieldProps {
  label: string;
  /** Environment variable that sets it on the host, shown as a hint. */
  env?: string;
  hint?: ReactNode;
  error?: string;
  children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby': string }) => ReactNode;
  wide?: boolean;
}

/** A labelled control with its hint and, when invalid, the reason right under it. */
export function Field(props: FieldProps) {
  const id = useId();
  const descId = `${id}-desc`;
  return (
    <div className={`field${props.error ? ' invalid' : ''}${props.wide ? ' wide' : ''}`}>
      <label htmlFor={id}>
        {props.label}
        {props.env ? <code className="env">{props.env}</code> : null}
      </label>
      {props.children({ id, 'aria-invalid': Boolean(props.error), 'aria-describedby': descId })}
      <div id={descId} className="field-desc">
        {props.error ? (
          <span className="field-error" data-testid="field-error">
            {props.error}
          </span>
        ) : props.hint ? (
          <span className="field-hint">{props.hint}</span>
        ) : null}
      </div>
    </div>
  );
}
