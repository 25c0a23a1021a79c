import { type ApiError } from '../api/graphql.js';

const EXPLANATIONS: Record<string, string> = {
  FORBIDDEN: 'Your role or account may not see this.',
  NOT_FOUND: 'It does not exist (or not for your account).',
  NETWORK: 'Check that the platform is running.',
};

/** An API failure in words, with its stable code and an optional retry. */
export function ErrorNote({
  error,
  retry,
  prefix,
}: {
  error: ApiError;
  retry?: () => void;
  prefix?: string;
}) {
  const hint = error.code ? EXPLANATIONS[error.code] : undefined;
  return (
    <div class="error-note" role="alert">
      <p>
        {prefix ? `${prefix}: ` : ''}
        {error.message}
        {error.code ? <code class="code">{error.code}</code> : null}
        {hint ? ` ${hint}` : ''}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
