// Firmware images (uploaded here, served to chargers by the Pi) and the diagnostics files chargers
// uploaded: list, download, upload, delete.
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin } from '../store.js';
import { Action, ErrorBox, Form, Loading, fmt, useAsync } from '../ui.js';
import { useActionEvents } from '../blocks.js';

export const fileSize = (n) => (n == null ? '–' : n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

export const FileLink = ({ file }) => html`<a href=${`/api/admin/files/${file.id}/content`} download=${file.name}>${file.name}</a>`;

export const loadFiles = async (kind) => (/** @type {import('../api-types.js').FileList} */ (await api(`/api/admin/files${kind ? `?kind=${kind}` : ''}`))).files;

/** The server takes names of A-Z a-z 0-9 . _ - only: offer the picked file's name in that form. */
export const safeName = (name) => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '').slice(0, 128);

function upload(d, form) {
  const file = form.elements.file.files[0];
  if (!file) throw new Error('pick a firmware file first');
  if (file.size === 0) throw new Error(`${file.name} is empty`);
  const name = (d.name || '').trim() || safeName(file.name);
  return api(`/api/admin/files/firmware?name=${encodeURIComponent(name)}`, { method: 'POST', raw: file });
}

export function FilesCard() {
  const files = useAsync(() => loadFiles(), []);
  useActionEvents(undefined, ['DiagnosticsStatusNotification'], files.reload);
  const rows = files.data || [];
  return html`<div class="card" data-testid="files">
    <h2>Files</h2>
    <${ErrorBox} error=${files.error} /><${Loading} when=${files.loading && !files.data} />
    ${rows.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>File</th><th>Stored</th>${isAdmin() && html`<th></th>`}</tr></thead>
      <tbody>${rows.map((f) => html`<tr data-file=${f.name}>
        <td><${FileLink} file=${f} /><br /><small class="muted">${[f.kind, f.chargePointId, fileSize(f.size)].filter(Boolean).join(' · ')}</small>
          <br /><small class="muted" title="SHA-256">sha256 ${f.sha256 ? f.sha256.slice(0, 12) : '–'}…</small></td>
        <td>${fmt.time(f.createdAt)}</td>
        ${isAdmin() && html`<td><${Action} label="Delete" danger confirm=${`Delete ${f.name}?`}
          run=${() => api(`/api/admin/files/${f.id}`, { method: 'DELETE' })} onDone=${files.reload} /></td>`}
      </tr>`)}</tbody>
    </table></div>`}
    ${files.data && rows.length === 0 && html`<p class="muted">No files yet.</p>`}
    ${isAdmin() && html`<h3>Upload firmware</h3>
      <${Form} cls="inline" label="Upload" okText="Uploaded" submit=${upload} onDone=${(_r, form) => { form.reset(); files.reload(); }}>
        <label>Firmware file <input type="file" name="file" required /></label>
        <label>Name for chargers (optional) <input name="name" placeholder="as the file is named" /></label>
      </${Form}>
      <p class="muted">Chargers download firmware from this Pi over HTTP; they upload diagnostics to it by HTTP PUT or POST (FTP is not offered).</p>`}
  </div>`;
}
