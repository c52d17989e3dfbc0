import { useEffect, useRef, useState, type ReactElement, type RefObject } from 'react';
import { useStore } from 'zustand';
import { ledgerKinds } from '../../../core/enumerations.ts';
import { useServices } from '../../app-context.tsx';
import type { CustomerCard } from '../../api/operations.ts';
import { InlineError } from '../../components/field.tsx';
import { HintIcon } from '../../components/hint-icon.tsx';
import { Icon } from '../../components/icons.tsx';
import { balanceKindLabels, formatBalance, formatMoney, type BalanceKind } from '../../format/money.ts';
import { verificationLabel } from '../../format/statuses.ts';
import { actionKeys } from '../../stores/customer-card-store.ts';

function Labels({ card }: { card: CustomerCard }): ReactElement {
  const { customerCard } = useServices();
  const errors = useStore(customerCard, (state) => state.errors);
  const pending = useStore(customerCard, (state) => state.pending);
  const suggestions = useStore(customerCard, (state) => state.labelSuggestions);
  const [openLabel, setOpenLabel] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [text, setText] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (adding) {
      void customerCard.getState().loadLabelSuggestions();
      inputRef.current?.focus();
    }
  }, [adding, customerCard]);

  const onCard = new Set(card.labels.map((label) => label.name.toLowerCase()));
  const offered = suggestions.filter((label) => !onCard.has(label.name.toLowerCase()));

  async function save(): Promise<void> {
    if (await customerCard.getState().addLabel(text)) {
      setText('');
      setAdding(false);
    }
  }

  return (
    <div className="labels" aria-label="Labels" role="group">
      <span className="labels-caption" aria-hidden="true">
        Labels
      </span>
      {card.labels.map((label) => {
        const removeKey = actionKeys.removeLabel(label.id);
        return (
          <span key={label.id} className="label-chip-wrap">
            <button
              type="button"
              className="label-chip"
              style={label.color ? { borderColor: label.color } : undefined}
              aria-expanded={openLabel === label.id}
              aria-label={`Label ${label.name}`}
              onClick={() => setOpenLabel(openLabel === label.id ? null : label.id)}
            >
              {label.name}
            </button>
            {openLabel === label.id ? (
              <span className="popover" onKeyDown={(event) => event.key === 'Escape' && setOpenLabel(null)}>
                <button
                  type="button"
                  className="danger-button small"
                  autoFocus
                  disabled={pending[removeKey]}
                  onClick={async () => {
                    if (await customerCard.getState().removeLabel(label.id)) setOpenLabel(null);
                  }}
                >
                  Remove {label.name}
                </button>
                <InlineError message={errors[removeKey]?.message} />
              </span>
            ) : null}
          </span>
        );
      })}
      {adding ? (
        <form
          noValidate
          className="label-add"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              setAdding(false);
              customerCard.getState().clearError(actionKeys.addLabel);
            }
          }}
        >
          <input
            ref={inputRef}
            aria-label="New label"
            list="label-suggestions"
            value={text}
            maxLength={60}
            placeholder="Label, e.g. VIP"
            onChange={(event) => setText(event.target.value)}
          />
          <datalist id="label-suggestions">
            {offered.map((label) => (
              <option key={label.id} value={label.name}>
                {`${label.customerCount} customers`}
              </option>
            ))}
          </datalist>
          <button type="submit" className="primary-button small" disabled={pending[actionKeys.addLabel]}>
            Save
          </button>
          <button type="button" className="ghost-button small" onClick={() => setAdding(false)}>
            Cancel
          </button>
          <InlineError message={errors[actionKeys.addLabel]?.message} />
        </form>
      ) : (
        <button type="button" className="icon-button small" aria-label="Add label" title="Add label" onClick={() => setAdding(true)}>
          <Icon name="plus" />
        </button>
      )}
    </div>
  );
}

function Totals({ card }: { card: CustomerCard }): ReactElement {
  const { totals } = card;
  const kinds: readonly BalanceKind[] = ledgerKinds;
  const tiles: { label: string; value: string }[] = [
    { label: 'Amount spent', value: formatMoney(totals.amountSpent, totals.currency) },
    { label: 'Orders', value: totals.orderCount.toLocaleString() },
    { label: 'Average order value', value: formatMoney(totals.averageOrderValue, totals.currency) },
    ...kinds.map((kind) => ({ label: `Balance: ${balanceKindLabels[kind]}`, value: formatBalance(kind, totals.balances[kind], totals.currency) })),
  ];
  return (
    <dl className="totals" aria-label="Totals">
      {tiles.map((tile) => (
        <div key={tile.label} className="total-tile">
          <dt>{tile.label}</dt>
          <dd>{tile.value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function CardHeader({ card, onBack, headingRef }: { card: CustomerCard; onBack(): void; headingRef: RefObject<HTMLHeadingElement | null> }): ReactElement {
  const { profile, webUser } = card;
  return (
    <header className="card-header">
      <div className="card-header-top">
        <button type="button" className="ghost-button" onClick={onBack}>
          <Icon name="back" /> Go back
        </button>
        {profile.description ? <HintIcon icon="info" label="Customer note" text={profile.description} className="hint-note" /> : null}
      </div>
      <div className="card-title-row">
        {/* tabIndex -1: the card moves focus here when it opens, so keyboard users start on the card. */}
        <h1 ref={headingRef} tabIndex={-1} className={profile.anonymous ? 'anonymous' : undefined}>
          {profile.displayName}
        </h1>
        {webUser ? <HintIcon icon="globe" label="Connected web user" text={webUser.email} className="hint-web" /> : null}
        <span className={`badge badge-${profile.verificationStatus}`} aria-label={`Status: ${verificationLabel(profile.verificationStatus)}`}>
          {verificationLabel(profile.verificationStatus)}
        </span>
      </div>
      <Labels card={card} />
      <Totals card={card} />
    </header>
  );
}
