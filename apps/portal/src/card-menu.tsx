/** The ⋮ menu of a webhook card: a menu button (WAI-ARIA pattern) whose items act on that webhook. */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useUniqueId } from './ui';

export interface MenuItem {
  label: string;
  /** The accessible name, naming the webhook (e.g. "Edit Orders sync"). */
  name: string;
  /** Hidden in a read-only portal session. */
  write?: boolean;
  danger?: boolean;
  /** A link (the event log) instead of an action. */
  href?: string;
  onSelect?: () => void;
}

export function CardMenu(props: { label: string; items: MenuItem[]; disabled?: boolean; write?: boolean }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const menuId = useUniqueId();
  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  // In the render that opens the menu: a key pressed at once goes to its first item.
  useLayoutEffect(() => {
    if (!open) return;
    items()[0]?.focus();
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menu.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  // Focus goes back to the ⋮ button before an item acts, so a dialog it opens returns focus there.
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => {
      event.preventDefault();
      list[(to + list.length) % list.length]?.focus();
    };
    if (event.key === 'ArrowDown') move(at + 1);
    else if (event.key === 'ArrowUp') move(at - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(list.length - 1);
    else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (event.key === 'Tab') setOpen(false);
  };

  return (
    <div class="menu" data-write={props.write ? '' : undefined}>
      <button
        ref={button}
        type="button"
        class="button button--small button--icon"
        aria-haspopup="menu"
        aria-expanded={open ? 'true' : 'false'}
        aria-controls={open ? menuId : undefined}
        aria-label={props.label}
        title={props.label}
        disabled={props.disabled}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            setOpen(true);
          }
        }}
      >
        <span aria-hidden="true">⋮</span>
      </button>
      {open && (
        <ul ref={menu} id={menuId} class="menu__list" role="menu" aria-label={props.label} onKeyDown={onKeyDown}>
          {props.items.map((item) => (
            <li key={item.name} role="none" data-write={item.write ? '' : undefined}>
              {item.href ? (
                <a role="menuitem" tabIndex={-1} class="menu__item" href={item.href} aria-label={item.name}>
                  {item.label}
                </a>
              ) : (
                <button
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  class={item.danger ? 'menu__item menu__item--danger' : 'menu__item'}
                  aria-label={item.name}
                  onClick={() => {
                    close();
                    item.onSelect?.();
                  }}
                >
                  {item.label}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
