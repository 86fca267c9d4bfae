// Charger page panel: firmware version and the status of the last update and diagnostics request;
// install an uploaded firmware file, ask for diagnostics, download what the charger sent.
import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { isAdmin } from '../store.js';
import { Action, Badge, ErrorBox, Link, Loading, fmt, useAsync } from '../ui.js';
import { blockPath, isoFromLocal, useActionEvents } from '../blocks.js';
import { FileLink, fileSize, loadFiles } from './files.js';

function UpdateFirmware({ cpId, onDone }) {
  const images = useAsync(() => loadFiles('firmware'), []);
  const [pick, setPick] = useState({ fileId: '', when: '', retries: '' });
  const set = (k) => (e) => setPick({ ...pick, [k]: e.currentTarget.value });
  const list = images.data || [];
  const chosen = list.find((f) => String(f.id) === pick.fileId) || list[0];
  const run = async () => {
    const body = { fileId: chosen.id, retrieveDate: isoFromLocal(pick.when), ...(pick.retries ? { retries: Number(pick.retries) } : {}) };
    const r = await api(blockPath(cpId, 'firmware'), { method: 'POST', body });
    return { status: `requested, download from ${fmt.time(r.retrieveDate)}` };
  };
  if (images.data && list.length === 0) return html`<p class="muted">To update the firmware, upload it on the <${Link} href="/energy">Energy</${Link}> page.</p>`;
  return html`<${ErrorBox} error=${images.error} />
    <div class="form inline">
      <label>Firmware file <select name="fileId" value=${chosen ? String(chosen.id) : ''} onChange=${set('fileId')}>
        ${list.map((f) => html`<option value=${f.id}>${f.name} (${fileSize(f.size)})</option>`)}</select></label>
      <label>Download from (blank = now) <input type="datetime-local" name="retrieveDate" value=${pick.when} onInput=${set('when')} /></label>
      <label>Retries (optional) <input type="number" name="retries" min="0" step="1" value=${pick.retries} onInput=${set('retries')} /></label>
    </div>
    ${chosen && html`<${Action} label="Update firmware" danger confirm=${`Install ${chosen.name} on ${cpId}? It restarts when done.`} run=${run} onDone=${onDone} />`}`;
}

export function FirmwarePanel({ cpId }) {
  const fw = useAsync(() => api(blockPath(cpId, 'firmware')), [cpId]);
  useActionEvents(cpId, ['FirmwareStatusNotification', 'DiagnosticsStatusNotification', 'UpdateFirmware', 'GetDiagnostics', 'BootNotification'], fw.reload);
  const d = fw.data;
  const diagnostics = async () => {
    const r = await api(blockPath(cpId, 'diagnostics'), { method: 'POST', body: {} });
    return { status: r.fileName ? `the charger uploads ${r.fileName}` : 'the charger has no file to send' };
  };
  return html`<div class="card" data-testid="firmware">
    <h3>Firmware & diagnostics</h3>
    <${ErrorBox} error=${fw.error} /><${Loading} when=${fw.loading && !d} />
    ${d && html`<dl class="facts">
      <dt>Firmware</dt><dd>${d.firmwareVersion || '–'}</dd>
      <dt>Update status</dt><dd data-testid="firmware-status">${d.firmwareStatus ? html`<${Badge} status=${d.firmwareStatus} />` : '–'}</dd>
      <dt>Diagnostics status</dt><dd data-testid="diagnostics-status">${d.diagnosticsStatus ? html`<${Badge} status=${d.diagnosticsStatus} />` : '–'}</dd>
    </dl>`}
    ${isAdmin() && html`<${UpdateFirmware} cpId=${cpId} onDone=${fw.reload} />
      <p><${Action} label="Request diagnostics" run=${diagnostics} onDone=${fw.reload} /></p>`}
    ${d && d.diagnosticsFiles && d.diagnosticsFiles.length > 0 && html`<div class="table-wrap"><table>
      <thead><tr><th>Diagnostics file</th><th class="num">Size</th><th>Received</th></tr></thead>
      <tbody>${d.diagnosticsFiles.map((f) => html`<tr><td><${FileLink} file=${f} /></td><td class="num">${fileSize(f.size)}</td><td>${fmt.time(f.createdAt)}</td></tr>`)}</tbody>
    </table></div>`}
  </div>`;
}
