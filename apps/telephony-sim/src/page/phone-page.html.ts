/** The phone page: a person picks a tenant number, calls it, presses keys, and sees SMS arrive. */
export const PHONE_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ringflow phone (telephony simulator)</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  header { background: #1d2330; color: #fff; padding: 12px 20px; }
  main { display: grid; grid-template-columns: minmax(280px, 360px) 1fr; gap: 20px; padding: 20px; }
  section { background: #fff; border-radius: 10px; padding: 16px; box-shadow: 0 1px 3px #0002; }
  label { display: block; font-size: 13px; color: #555; margin-top: 10px; }
  input, select, textarea { width: 100%; box-sizing: border-box; padding: 7px; font: inherit; }
  .row { display: flex; gap: 8px; margin-top: 12px; }
  button { font: inherit; padding: 8px 14px; border-radius: 6px; border: 1px solid #bbb; background: #fff; cursor: pointer; }
  button.primary { background: #1f8f4e; color: #fff; border-color: #1f8f4e; }
  button.danger { background: #c0392b; color: #fff; border-color: #c0392b; }
  button:disabled { opacity: .45; cursor: default; }
  #keypad { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin-top: 12px; }
  #keypad button { font-size: 20px; padding: 12px 0; }
  #transcript { font: 13px/1.5 ui-monospace, monospace; white-space: pre-wrap; background: #0f1420; color: #d7e0ee; padding: 12px; border-radius: 8px; min-height: 220px; max-height: 50vh; overflow: auto; }
  #messages li { margin: 6px 0; } #messages .meta { color: #777; font-size: 12px; }
  #call-status { font-weight: 600; }
  .error { color: #c0392b; }
</style>
</head>
<body>
<header><strong>Ringflow phone</strong> &mdash; a simulated phone on the telephony simulator</header>
<main>
  <section>
    <label for="my-number">Your number</label>
    <input id="my-number" value="+15550009999">
    <label for="tenant-number">Number to call</label>
    <select id="tenant-number"></select>
    <div class="row">
      <button id="call" class="primary">Call</button>
      <button id="hangup" class="danger" disabled>Hang up</button>
      <button id="refresh">Refresh numbers</button>
    </div>
    <label><input type="checkbox" id="answer-here" style="width:auto"> Answer calls to my number here</label>
    <div id="keypad"></div>
    <p>Status: <span id="call-status">idle</span></p>
    <p id="error" class="error"></p>
  </section>
  <section>
    <h3>Call transcript</h3>
    <div id="transcript"></div>
    <h3>SMS</h3>
    <div class="row"><input id="sms-body" placeholder="Text the selected number"><button id="sms-send">Send</button></div>
    <ul id="messages"></ul>
  </section>
</main>
<script>
(() => {
  const $ = (id) => document.getElementById(id);
  let callSid = null;
  let seenIncoming = new Set();
  const myNumber = () => $('my-number').value.trim();
  const showError = (text) => { $('error').textContent = text || ''; };

  async function api(method, path, body) {
    const res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error ? data.error + (data.issues ? ': ' + data.issues.join('; ') : '') : method + ' ' + path + ' -> ' + res.status);
    return data;
  }

  async function loadNumbers() {
    const numbers = await api('GET', '/sim/numbers');
    const select = $('tenant-number');
    const current = select.value;
    select.replaceChildren(...numbers.map((n) => Object.assign(document.createElement('option'), { value: n.phoneNumber, textContent: n.phoneNumber })));
    if (current) select.value = current;
    $('call').disabled = numbers.length === 0 || callSid !== null;
  }

  function setCall(sid) {
    callSid = sid;
    $('call').disabled = sid !== null;
    $('hangup').disabled = sid === null;
  }

  async function startCall() {
    showError('');
    try {
      const call = await api('POST', '/sim/calls', { from: myNumber(), to: $('tenant-number').value, script: { interactive: true, holdPatienceMs: 600000 } });
      setCall(call.sid);
    } catch (err) { showError(err.message); }
  }

  async function pollCall() {
    if (!callSid) return;
    const call = await api('GET', '/sim/calls/' + callSid);
    $('transcript').textContent = call.lines.join('\\n');
    $('transcript').scrollTop = $('transcript').scrollHeight;
    $('call-status').textContent = call.status + (call.failure ? ' (failed: ' + call.failure + ')' : '');
    if (['completed', 'busy', 'failed', 'no-answer', 'canceled'].includes(call.status)) setCall(null);
  }

  async function pollIncoming() {
    if (!$('answer-here').checked || callSid) return;
    const calls = await api('GET', '/sim/calls?direction=outbound-api&to=' + encodeURIComponent(myNumber()));
    const live = calls.find((c) => !seenIncoming.has(c.sid) && ['queued', 'ringing', 'in-progress'].includes(c.status));
    if (live) { seenIncoming.add(live.sid); setCall(live.sid); }
  }

  async function answerHere() {
    if ($('answer-here').checked) await api('PUT', '/sim/phones/' + encodeURIComponent(myNumber()), { answer: 'human', interactive: true, holdPatienceMs: 600000 });
    else await api('PUT', '/sim/phones/' + encodeURIComponent(myNumber()), {});
  }

  async function pollMessages() {
    const me = myNumber();
    const [inbox, outbox] = await Promise.all([api('GET', '/sim/messages?to=' + encodeURIComponent(me)), api('GET', '/sim/messages?from=' + encodeURIComponent(me))]);
    const all = [...inbox, ...outbox].sort((a, b) => a.dateCreated.localeCompare(b.dateCreated));
    $('messages').replaceChildren(...all.map((m) => {
      const li = document.createElement('li');
      const meta = Object.assign(document.createElement('div'), { className: 'meta', textContent: (m.to === me ? 'from ' + m.from : 'to ' + m.to) + ' \\u00b7 ' + m.status });
      li.append(Object.assign(document.createElement('div'), { textContent: m.body }), meta);
      return li;
    }));
  }

  async function sendSms() {
    showError('');
    const body = $('sms-body').value.trim();
    if (!body) return;
    try {
      await api('POST', '/sim/sms', { from: myNumber(), to: $('tenant-number').value, body });
      $('sms-body').value = '';
      await pollMessages();
    } catch (err) { showError(err.message); }
  }

  for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']) {
    const b = Object.assign(document.createElement('button'), { textContent: key });
    b.dataset.key = key;
    b.addEventListener('click', () => callSid && api('POST', '/sim/calls/' + callSid + '/keys', { digits: key }).catch((e) => showError(e.message)));
    $('keypad').append(b);
  }
  $('call').addEventListener('click', startCall);
  $('hangup').addEventListener('click', () => callSid && api('POST', '/sim/calls/' + callSid + '/hangup').catch((e) => showError(e.message)));
  $('refresh').addEventListener('click', () => loadNumbers().catch((e) => showError(e.message)));
  $('sms-send').addEventListener('click', sendSms);
  $('answer-here').addEventListener('change', () => answerHere().catch((e) => showError(e.message)));

  loadNumbers().catch((e) => showError(e.message));
  const tick = (fn, ms) => setInterval(() => fn().catch((e) => showError(e.message)), ms);
  tick(pollCall, 300);
  tick(pollIncoming, 500);
  tick(pollMessages, 700);
})();
</script>
</body>
</html>
`;
