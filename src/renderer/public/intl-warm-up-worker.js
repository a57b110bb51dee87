// The formatters of src/renderer/format/format.ts, with the same options, so the same locale data loads.
new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(-3, 'hour');
new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(Date.now());
new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: 'numeric', second: 'numeric' }).format(Date.now());
postMessage('warm');
