// The kit's own stylesheet, kept as a string so a bundled app needs no file beside it.
export const KIT_CSS = `
:root { font-family: Inter, "Segoe UI", Roboto, Arial, sans-serif; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
.kit-wrap { width: 100%; max-width: 64rem; margin: 0 auto; padding: 0 var(--ds-size-4); box-sizing: border-box; }
.kit-header { border-bottom: 1px solid var(--ds-color-neutral-border-subtle); background: var(--ds-color-neutral-background-tinted); }
.kit-header .kit-wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: var(--ds-size-4); padding-block: var(--ds-size-3); }
.kit-brand { display: flex; flex-direction: column; text-decoration: none; color: inherit; }
.kit-brand-municipality { font-weight: 600; font-size: var(--ds-body-lg-font-size); }
.kit-brand-service { color: var(--ds-color-neutral-text-subtle); }
.kit-tools { display: flex; flex-wrap: wrap; align-items: center; gap: var(--ds-size-4); }
.kit-langs { display: flex; gap: var(--ds-size-3); margin: 0; padding: 0; list-style: none; }
.kit-langs [aria-current="true"] { font-weight: 600; text-decoration: none; }
.kit-inline-form { margin: 0; }
.kit-nav { border-bottom: 1px solid var(--ds-color-neutral-border-subtle); }
.kit-nav ul { display: flex; flex-wrap: wrap; gap: var(--ds-size-6); margin: 0; padding: var(--ds-size-3) 0; list-style: none; }
.kit-nav [aria-current="page"] { font-weight: 600; }
main { flex: 1; padding-block: var(--ds-size-8); }
main > * + * { margin-top: var(--ds-size-6); }
.kit-footer { border-top: 1px solid var(--ds-color-neutral-border-subtle); background: var(--ds-color-neutral-background-tinted); padding-block: var(--ds-size-6); }
.kit-footer ul { display: flex; flex-wrap: wrap; gap: var(--ds-size-6); margin: 0 0 var(--ds-size-3); padding: 0; list-style: none; }
.kit-stack > * + * { margin-top: var(--ds-size-4); }
.kit-cards { display: grid; gap: var(--ds-size-4); grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); margin: var(--ds-size-5) 0 0; padding: 0; list-style: none; }
.kit-meta { display: grid; grid-template-columns: max-content 1fr; gap: var(--ds-size-2) var(--ds-size-6); margin-inline: 0; margin-bottom: 0; }
.kit-meta dt { font-weight: 600; }
.kit-meta dd { margin: 0; }
.kit-timeline { margin-inline: 0; margin-bottom: 0; padding: 0; list-style: none; border-left: 2px solid var(--ds-color-neutral-border-default); }
.kit-timeline li { padding: 0 0 var(--ds-size-5) var(--ds-size-5); }
.kit-muted { color: var(--ds-color-neutral-text-subtle); }
.kit-table-wrap { overflow-x: auto; }
.kit-actions { display: flex; flex-wrap: wrap; gap: var(--ds-size-3); align-items: center; }
`
