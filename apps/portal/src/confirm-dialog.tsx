/** A yes/no question in a modal dialog; an API refusal stays in the dialog. */
import { useState } from 'preact/hooks';
import { Dialog, ErrorText, useUniqueId } from './ui';

export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}) {
  const messageId = useUniqueId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.title} onClose={props.onCancel} describedBy={messageId}>
      <p id={messageId}>{props.message}</p>
      <ErrorText message={error} />
      <div class="dialog__actions">
        <button type="button" class="button" onClick={props.onCancel} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          class={props.danger ? 'button button--danger' : 'button button--primary'}
          onClick={confirm}
          disabled={busy}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
