/** Small accessible building blocks: modal dialog, toasts, badges. */
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';

let lastId = 0;

/**
 * A page-unique id for label/description links. (Preact's useId repeats ids between components
 * mounted in different subtrees, e.g. two dialogs, which mislabels them.)
 */
export function useUniqueId(): string {
  const [id] = useState(() => `h${++lastId}`);
  return id;
}

const focusable =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * A modal `<dialog>`: the rest of the page is inert while it is open, Tab and Shift+Tab cycle
 * inside it, Escape closes it, and focus returns to what opened it.
 */
export function Dialog(props: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  describedBy?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useUniqueId();
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;

  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // data-autofocus, not autofocus: Chromium refuses (and logs) native autofocus inside a cross-origin frame.
    const first = dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(focusable);
    first?.focus();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose.current();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Tab') return;
      const items = [...dialog.querySelectorAll<HTMLElement>(focusable)].filter((el) => el.offsetParent !== null);
      if (items.length === 0) return;
      const [head, tail] = [items[0], items[items.length - 1]];
      if (event.shiftKey && document.activeElement === head) {
        event.preventDefault();
        tail.focus();
      } else if (!event.shiftKey && document.activeElement === tail) {
        event.preventDefault();
        head.focus();
      }
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('keydown', onKeyDown);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('keydown', onKeyDown);
      dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class={props.wide ? 'dialog dialog--wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={props.describedBy}
    >
      <h2 id={titleId} class="dialog__title">
        {props.title}
      </h2>
      {props.children}
    </dialog>
  );
}

type Toast = { id: number; text: string; tone: 'success' | 'error' };
const ToastContext = createContext<(text: string, tone?: Toast['tone']) => void>(() => undefined);

/** Announces outcomes ("Webhook secret copied") in a polite live region. */
export function ToastProvider(props: { children: ComponentChildren }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const show = useCallback((text: string, tone: Toast['tone'] = 'success') => {
    const id = next.current++;
    setToasts((list) => [...list.slice(-2), { id, text, tone }]);
    setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 5000);
  }, []);
  return (
    <ToastContext.Provider value={show}>
      {props.children}
      <div class="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <p key={toast.id} class={`toast toast--${toast.tone}`}>
            {toast.text}
          </p>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);

export function Badge(props: {
  tone: 'green' | 'gray' | 'red' | 'amber' | 'blue';
  children: ComponentChildren;
  title?: string;
}) {
  return (
    <span class={`badge badge--${props.tone}`} title={props.title}>
      {props.children}
    </span>
  );
}

/** An error from the API shown where the action was taken. */
export function ErrorText(props: { message: string | null }) {
  if (!props.message) return null;
  return (
    <p class="error-text" role="alert">
      {props.message}
    </p>
  );
}
