import { TemplateEngine, type TemplateScope } from './template-engine';

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* a pause the template is not to blame for */ }
}

const scope = (vars: Record<string, unknown>): TemplateScope => ({ system: {}, vars, nodes: {} });

describe('TemplateEngine render limit', () => {
  const engine = new TemplateEngine();

  it('a render paused once past the limit (not by the template) is tried again and answers', () => {
    let reads = 0;
    const vars = {};
    Object.defineProperty(vars, 'name', { enumerable: true, get: () => { reads += 1; if (reads === 1) busyWait(150); return 'Ada'; } });
    expect(engine.render('Hello {{ vars.name }}, your balance is {{ vars.balance | default: 0 }}.', scope(vars))).toBe('Hello Ada, your balance is 0.');
    expect(reads).toBe(2);
  });

  it('a template that is slow every time still fails with the render limit, after the second try', () => {
    let reads = 0;
    const vars = {};
    Object.defineProperty(vars, 'name', { enumerable: true, get: () => { reads += 1; busyWait(150); return 'Ada'; } });
    expect(() => engine.render('Hello {{ vars.name }}, bye {{ vars.name }}.', scope(vars))).toThrow(/render limit exceeded/);
    expect(reads).toBe(2);
  });

  it('other render errors are not retried', () => {
    let reads = 0;
    const vars = {};
    Object.defineProperty(vars, 'name', { enumerable: true, get: () => { reads += 1; throw new Error('the CRM field is unreadable'); } });
    expect(() => engine.render('Hello {{ vars.name }}.', scope(vars))).toThrow(/unreadable/);
    expect(reads).toBe(1);
  });
});
