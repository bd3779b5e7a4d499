import type { AnswerView } from './redemption-answer-view';

export const MERCHANT_CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f5f7;color:#1d2330}
main{max-width:28rem;margin:0 auto;padding:1.25rem}h1{font-size:1.35rem;margin:.5rem 0 1rem}
form{display:grid;gap:.75rem;margin:0 0 1rem}label{display:grid;gap:.3rem;font-weight:600}
input{font:inherit;padding:.75rem;border:1px solid #b9bfcc;border-radius:.5rem;width:100%}
#serial{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.25rem;letter-spacing:.08em;text-transform:uppercase}
button{font:inherit;font-weight:700;padding:.8rem;border:0;border-radius:.5rem;background:#1f5fd6;color:#fff;cursor:pointer}
.link{background:none;color:#1f5fd6;padding:0;font-weight:600}.bar{display:flex;justify-content:space-between;align-items:center;gap:1rem}
.answer{border-radius:.6rem;padding:1rem;margin:0 0 1rem;border:2px solid}.answer h2{margin:0 0 .35rem;font-size:1.3rem}.answer p{margin:.15rem 0}
.good{background:#e6f6ea;border-color:#2e8b46}.bad{background:#fdeaea;border-color:#c0392b}.warn{background:#fff6e0;border-color:#c98a00}
.notice{background:#fdeaea;border:1px solid #c0392b;border-radius:.5rem;padding:.75rem;margin:0 0 1rem}
`;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Ringflow</title><style>${MERCHANT_CSS}</style></head>
<body><main>${body}</main></body></html>`;
}

function csrfField(csrf: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

export function signInPage(csrf: string, notice?: string): string {
  return page('Merchant sign-in', `
<h1>Sign in to redeem coupons</h1>
${notice ? `<p class="notice" id="notice" role="alert">${escapeHtml(notice)}</p>` : ''}
<form method="post" action="/merchant/sign-in">${csrfField(csrf)}
<label>Email <input type="email" name="email" id="email" autocomplete="username" required maxlength="254"></label>
<label>Password <input type="password" name="password" id="password" autocomplete="current-password" required maxlength="200"></label>
<button type="submit" id="sign-in">Sign in</button></form>`);
}

function answerBox(answer: AnswerView): string {
  const lines = answer.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('');
  return `<section class="answer ${answer.tone}" id="answer" data-outcome="${escapeHtml(answer.outcome)}" role="status"><h2>${escapeHtml(answer.title)}</h2>${lines}</section>`;
}

export function redeemPage(options: { csrf: string; merchantName: string; answer?: AnswerView; notice?: string }): string {
  return page('Redeem a coupon', `
<div class="bar"><h1>${escapeHtml(options.merchantName)}</h1>
<form method="post" action="/merchant/sign-out">${csrfField(options.csrf)}<button type="submit" class="link" id="sign-out">Sign out</button></form></div>
${options.notice ? `<p class="notice" id="notice" role="alert">${escapeHtml(options.notice)}</p>` : ''}
${options.answer ? answerBox(options.answer) : ''}
<form method="post" action="/merchant/redeem">${csrfField(options.csrf)}
<label>Coupon code <input name="serial" id="serial" autocomplete="off" autocapitalize="characters" spellcheck="false" required maxlength="64" placeholder="7KQ4M-2XD9P-HT3QR" autofocus></label>
<label>Order amount (optional) <input name="orderAmount" id="order-amount" inputmode="decimal" autocomplete="off" maxlength="13" placeholder="12.50"></label>
<button type="submit" id="redeem">Redeem</button></form>`);
}

/** A refusal (expired session, bad form token) with a way back. */
export function refusalPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p class="notice" id="notice" role="alert">${escapeHtml(message)}</p><p><a href="/merchant">Back to the merchant page</a></p>`);
}
